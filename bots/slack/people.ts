import type { webApi } from '@slack/bolt';
import { matchLocale, type Locale } from '../../handlers/i18n.js';
import type { Requester } from '../../src/domain.js';
import type { Logger } from '../../src/logger.js';
import type { Actor } from '../../src/service.js';
import type { StaffDirectory } from './staff.js';

const PROFILE_TTL_MS = 10 * 60_000;

interface Profile {
  name: string;
  /** Undefined when Slack's language is not one the catalogue has. */
  locale: Locale | undefined;
  until: number;
}

/** Turns Slack user ids into the core's requesters and actors; names and languages come from one users.info call, cached. */
export class People {
  private readonly profiles = new Map<string, Profile>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly staff: StaffDirectory,
    private readonly logger: Logger,
    private readonly defaultLocale: Locale,
  ) {}

  async requester(teamId: string, userId: string, fallbackName?: string): Promise<Requester> {
    return { key: `slack:${teamId}:${userId}`, name: (await this.profile(userId, fallbackName)).name };
  }

  async actor(teamId: string, userId: string, fallbackName?: string): Promise<Actor> {
    const [requester, isStaff] = await Promise.all([this.requester(teamId, userId, fallbackName), this.staff.isStaff(userId)]);
    return { requester, isStaff };
  }

  /** The person's language, looked up if not cached. */
  async locale(userId: string): Promise<Locale> {
    return (await this.profile(userId)).locale ?? this.defaultLocale;
  }

  /**
   * The person's language without a call: what is cached, else DEFAULT_LOCALE. For what must
   * happen inside Slack's 3 s (a modal on a trigger), where a look-up cannot come first.
   */
  knownLocale(userId: string): Locale {
    const hit = this.profiles.get(userId);
    return (hit && hit.until > Date.now() && hit.locale) || this.defaultLocale;
  }

  private async profile(userId: string, fallback?: string): Promise<Profile> {
    const hit = this.profiles.get(userId);
    if (hit && hit.until > Date.now()) return hit;
    try {
      const { user } = await this.client.users.info({ user: userId, include_locale: true });
      const name = user?.real_name || user?.profile?.display_name || user?.name || fallback || userId;
      const profile = { name, locale: matchLocale(user?.locale), until: Date.now() + PROFILE_TTL_MS };
      this.profiles.set(userId, profile);
      return profile;
    } catch (error) {
      this.logger.warn('users.info failed; using the id as the name', { user: userId, error });
      return { name: fallback || userId, locale: undefined, until: 0 };
    }
  }
}
