import type { ChatSink } from './chat.js';
import type { Locale } from './config.js';
import type { Limiters } from './limits.js';
import type { Logger } from './logger.js';
import type { TicketService } from './service.js';
import type { Env } from './settings.js';
import type { KeyValueStore } from './store/index.js';

/** What every chat front-end (Slack, Discord, console) is given: dependencies, no globals. */
export interface FrontEndDeps {
  service: TicketService;
  /** For the front-end's own dedupe marks (platform event ids) and refs. */
  kv: KeyValueStore;
  logger: Logger;
  env: Env;
  /** Per-channel pacing, shared by every replica on Redis; in process when absent. */
  limiters?: Limiters;
  /** DEFAULT_LOCALE: the language of posts everyone reads, and of people whose own is unknown (English when absent). */
  defaultLocale?: Locale;
}

/** A running front-end: its sink for relayed posts, and a way to stop taking new input. */
export interface FrontEnd {
  readonly name: string;
  readonly sink: ChatSink;
  /**
   * Whether it hears its platform right now (Slack's socket open or its HTTP listener up, Discord's
   * gateway ready); readiness reads it. Absent where there is no connection to lose (the terminal).
   */
  connected?(): boolean;
  stop(): Promise<void>;
}
