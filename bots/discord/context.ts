import type { Client, GuildMember, APIInteractionGuildMember, User } from 'discord.js';
import type { Locale } from '../../src/config.js';
import type { Requester } from '../../src/domain.js';
import type { Logger } from '../../src/logger.js';
import type { Actor, TicketService } from '../../src/service.js';
import type { KeyValueStore } from '../../src/store/index.js';
import type { DiscordSettings } from './settings.js';

/** What every Discord handler is given. */
export interface DiscordContext {
  client: Client;
  service: TicketService;
  kv: KeyValueStore;
  logger: Logger;
  settings: DiscordSettings;
  /** DEFAULT_LOCALE: the language when a person's own is not known (a 🎫 reaction carries none). */
  defaultLocale?: Locale | undefined;
}

/** A Discord user as the core knows them: key `discord:<userId>` (user ids are global). */
export function requesterOf(user: User, member?: GuildMember | APIInteractionGuildMember | null): Requester {
  const nick = member && 'displayName' in member ? member.displayName : member?.nick;
  return { key: `discord:${user.id}`, name: nick || user.globalName || user.username };
}

/** Staff are members holding DISCORD_STAFF_ROLE; they may act on anyone's ticket. */
export function actorOf(settings: DiscordSettings, user: User, member: GuildMember | APIInteractionGuildMember | null): Actor {
  const roles = !member ? [] : Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return { requester: requesterOf(user, member), isStaff: settings.staffRole !== undefined && roles.includes(settings.staffRole) };
}
