import { describe, expect, it } from 'vitest';
import { createProvider as createConsoleconnectProvider } from '../../adapters/consoleconnect/index.js';
import { createProvider as createVerifikProvider } from '../../adapters/verifik/index.js';
import { startConsoleconnectFake } from '../../fakes/providers/consoleconnect.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { markedDescription, markerOf } from '../../src/openings.js';
import { ada, adapterRig } from './rig.js';

// How an opening cut off by a crash is found again: by the marker line in the description.
describe.each([
  ['Verifik', () => adapterRig(startVerifikFake, createVerifikProvider)],
  ['Console Connect', () => adapterRig(() => startConsoleconnectFake(), createConsoleconnectProvider)],
] as const)('%s: findOpened', (_name, rig) => {
  const { setup } = rig();

  it('finds the ticket whose description carries the marker, and nothing for another marker', async () => {
    const { provider } = await setup();
    await provider.createTicket({ subject: 'Other', description: markedDescription('Not this one', markerOf('form-0')) }, ada);
    const made = await provider.createTicket({ subject: 'VPN drops', description: markedDescription('Every hour', markerOf('form-1')) }, ada);
    const found = await provider.findOpened!(markerOf('form-1'), ada);
    expect(found?.ticket).toMatchObject({ id: made.ticket.id, subject: 'VPN drops' });
    expect(await provider.findOpened!(markerOf('form-2'), ada)).toBeUndefined();
  });
});
