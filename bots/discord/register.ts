import { REST, Routes, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { OpenField } from '../../src/domain.js';
import { ticketCommands } from './commands.js';
import type { DiscordSettings } from './settings.js';

interface Registration {
  scope: 'guild' | 'global';
  guildId?: string;
  commands: { name: string; type: number }[];
}

/**
 * Overwrites the application's commands with `/ticket` and the message command: in one server
 * when DISCORD_GUILD_ID is set (instant), globally otherwise (Discord may take a while to show them).
 */
export async function registerCommands(settings: DiscordSettings, fields: readonly OpenField[], rest?: REST): Promise<Registration> {
  const client = rest ?? new REST({ api: settings.apiUrl }).setToken(settings.token);
  const body: RESTPostAPIApplicationCommandsJSONBody[] = ticketCommands(fields);
  const route = settings.guildId
    ? Routes.applicationGuildCommands(settings.applicationId, settings.guildId)
    : Routes.applicationCommands(settings.applicationId);
  const saved = (await client.put(route, { body })) as { name: string; type: number }[];
  return {
    scope: settings.guildId ? 'guild' : 'global',
    ...(settings.guildId ? { guildId: settings.guildId } : {}),
    commands: saved.map((c) => ({ name: c.name, type: c.type })),
  };
}
