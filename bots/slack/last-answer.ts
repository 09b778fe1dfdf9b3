import { z } from 'zod';
import type { ThreadRef } from '../../src/domain.js';
import type { KeyValueStore } from '../../src/store/index.js';

/** The last agent comment relayed into a thread, as App Home shows it (its start only). */
const LastAnswer = z.object({ author: z.string(), text: z.string() });
export type LastAnswer = z.infer<typeof LastAnswer>;

const TTL_MS = 30 * 24 * 3600_000;
const keyOf = (thread: ThreadRef): string => `slack:last-answer:${thread}`;

export async function rememberLastAnswer(kv: KeyValueStore, thread: ThreadRef, answer: LastAnswer): Promise<void> {
  await kv.set(keyOf(thread), { author: answer.author, text: answer.text.slice(0, 300) }, TTL_MS);
}

export async function lastAnswerOf(kv: KeyValueStore, thread: ThreadRef): Promise<LastAnswer | undefined> {
  const parsed = LastAnswer.safeParse(await kv.get(keyOf(thread)));
  return parsed.success ? parsed.data : undefined;
}
