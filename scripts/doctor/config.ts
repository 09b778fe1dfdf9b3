import { discordSettings, type DiscordSettings } from '../../bots/discord/settings.js';
import { slackSettings, type SlackSettings } from '../../bots/slack/settings.js';
import { loadCoreConfig, type CoreConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import type { ProviderModule } from '../../src/provider.js';
import type { Env } from '../../src/settings.js';

/** Everything the environment configures, each part parsed on its own so one bad part hides no other. */
export interface ReadConfig {
  core: CoreConfig | undefined;
  /** The provider's settings parsed (its module loaded) when TICKET_PROVIDER itself is valid. */
  providerOk: boolean;
  slack: SlackSettings | undefined;
  discord: DiscordSettings | undefined;
  problems: ConfigError[];
}

/**
 * Reads every group of settings the bot reads — core, the provider's, Slack's and Discord's when
 * their tokens are set — and collects every problem instead of stopping at the first.
 */
export async function readConfig(env: Env): Promise<ReadConfig> {
  const problems: ConfigError[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const core = attempt(() => loadCoreConfig(env));
  // The provider is read even when another core setting is wrong, as long as TICKET_PROVIDER is known.
  const providerId = core?.TICKET_PROVIDER ?? attempt(() => loadCoreConfig({ TICKET_PROVIDER: env['TICKET_PROVIDER'] }))?.TICKET_PROVIDER;
  let providerOk = false;
  if (providerId) {
    const module = (await import(`../../adapters/${providerId}/index.js`)) as ProviderModule;
    providerOk = attempt(() => (module.readSettings(env), true)) ?? false;
  }
  const slack = env['SLACK_BOT_TOKEN'] ? attempt(() => slackSettings(env)) : undefined;
  const discord = env['DISCORD_TOKEN'] ? attempt(() => discordSettings(env)) : undefined;
  if (core?.CONSOLE === 'off' && !env['SLACK_BOT_TOKEN'] && !env['DISCORD_TOKEN']) {
    problems.push(new ConfigError('CONSOLE', 'off leaves no front-end: set SLACK_BOT_TOKEN or DISCORD_TOKEN, or CONSOLE=auto'));
  }
  return { core, providerOk, slack, discord, problems };
}
