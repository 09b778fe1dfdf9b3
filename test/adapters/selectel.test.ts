import { createSelectelProvider } from '../../adapters/selectel/index.js';
import type { OpenTicketInput } from '../../src/domain.js';
import { providerContract } from '../contracts/provider-contract.js';
import { startSelectelFake } from '../fakes/providers/selectel.js';

const validInput: OpenTicketInput = {
  subject: 'Cloud server unreachable after reboot',
  description: 'Server 7f3c stopped answering on its public IP after a reboot at 10:05 UTC.',
  category: 'technical_question',
};

providerContract('selectel', {
  start: startSelectelFake,
  factory: createSelectelProvider,
  validInput,
  invalidInput: { input: { ...validInput, subject: 'x'.repeat(256) }, field: 'subject' },
  badCredentials: { SELECTEL_TOKEN: 'sl-static-0000000000000000wrong' },
  missingId: '999999',
});
