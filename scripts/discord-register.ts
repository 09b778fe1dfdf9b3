// `npm run discord:register`: registers /ticket and "Open ticket from message" for the bot in
// DISCORD_TOKEN — in DISCORD_GUILD_ID's server when set (instant), globally otherwise — with the
// open-ticket options of the provider TICKET_PROVIDER names. DISCORD_API_URL overrides the REST base.
import { providers } from '../adapters/registry.js';
import { COMMAND_NAME } from '../bots/discord/commands.js';
import { registerCommands } from '../bots/discord/register.js';
import { discordSettings } from '../bots/discord/settings.js';
import { loadCoreConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { createHttpClient } from '../src/provider-kit/http.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/index.js';

async function main(): Promise<void> {
  const env = process.env;
  const settings = discordSettings(env);
  const core = loadCoreConfig(env);
  // The provider is built only to read the fields its tickets need; nothing is sent to it.
  const kv = await openStore('sqlite://:memory:');
  const http = createHttpClient(silentLogger);
  try {
    const factory = await providers[core.TICKET_PROVIDER]();
    const provider = factory({ kv, http, logger: silentLogger, env });
    const done = await registerCommands(settings, provider.fields);
    const where = done.scope === 'guild' ? `in server ${done.guildId ?? ''}` : 'globally (Discord may take up to an hour to show them everywhere)';
    const names = done.commands.map((c) => (c.name === COMMAND_NAME ? `/${c.name}` : `"${c.name}"`)).join(', ');
    console.log(`Registered ${names} for application ${settings.applicationId} ${where}, with the fields of ${provider.displayName}.`);
  } finally {
    await http.close();
    await kv.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else {
    const status = (error as { status?: unknown }).status;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Could not register the Discord commands${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${message}`);
  }
  process.exitCode = 1;
});
