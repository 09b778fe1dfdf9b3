import { webApi } from '@slack/bolt';
import { REST } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ConsoleSink } from '../../bots/console/sink.js';
import { DiscordSink } from '../../bots/discord/sink.js';
import { SlackSink } from '../../bots/slack/sink.js';
import { ChatDeliveryError, ChatSinks, type ChatSink, type ThreadMessage } from '../../src/chat.js';
import { silentLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/index.js';

describe('thread refs', () => {
  it('each sink reads back the refs it writes, and no other platform’s', async () => {
    const kv = await openStore('sqlite://:memory:');
    const slack = new SlackSink({ client: new webApi.WebClient('xoxb-unused'), kv, logger: silentLogger });
    const discord = new DiscordSink(new REST());
    const terminal = new ConsoleSink(() => undefined);
    const refs = {
      slack: slack.encodeThread({ channel: 'C0123ABC', ts: '1700000000.000100' }),
      discord: discord.encodeThread({ threadId: '123456789012345678' }),
      console: terminal.encodeThread({ ticketId: '42' }),
    };
    // The string forms stored links already hold.
    expect(refs).toEqual({ slack: 'slack:C0123ABC:1700000000.000100', discord: 'discord:123456789012345678', console: 'console:42' });
    expect(slack.decodeThread(refs.slack)).toEqual({ channel: 'C0123ABC', ts: '1700000000.000100' });
    expect(discord.decodeThread(refs.discord)).toEqual({ threadId: '123456789012345678' });
    expect(discord.decodeThread('discord:111111111111111111:222222222222222222:123456789012345678')).toEqual({ threadId: '123456789012345678' });
    expect(terminal.decodeThread(refs.console)).toEqual({ ticketId: '42' });
    for (const [name, sink] of [['slack', slack], ['discord', discord], ['console', terminal]] as const) {
      const others = Object.entries(refs).filter(([platform]) => platform !== name);
      for (const [, ref] of others) expect((sink as ChatSink).decodeThread(ref)).toBeUndefined();
    }
    await kv.close();
  });

  it('routes a stored ref to the sink that can decode it, and waits while none can', async () => {
    const seen: string[] = [];
    const recorder = (prefix: string): ChatSink<string> => ({
      encodeThread: (thread) => `${prefix}${thread}`,
      decodeThread: (ref) => (ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined),
      postToThread: async (thread, message) => void seen.push(`${prefix}${thread} ${message.kind}`),
      updateCard: async (thread, cardRef) => void seen.push(`${prefix}${thread} card ${cardRef ?? '-'}`),
    });
    const sinks = new ChatSinks();
    sinks.register(recorder('a:'));
    sinks.register(recorder('b:'));
    const notice: ThreadMessage = { kind: 'notice', ticketId: '1', text: 'hi' };
    await sinks.for('b:x:y').post(notice, 'k');
    await sinks.for('a:z').updateCard('m1', { ticketId: '1', subject: 's', status: 'open', vendorStatus: 'Open', provider: 'p', requester: 'r', actions: [] });
    expect(seen).toEqual(['b:x:y notice', 'a:z card m1']);
    let error: unknown;
    try {
      sinks.for('slack:C1:1.2');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChatDeliveryError);
    expect(error).toMatchObject({ transient: true });
  });
});
