import type { webApi } from '@slack/bolt';
import type { Requester } from '../../src/domain.js';
import type { Logger } from '../../src/logger.js';
import type { Actor } from '../../src/service.js';
import type { StaffDirectory } from './staff.js';

const NAME_TTL_MS = 10 * 60_000;

/** Turns Slack user ids into the core's requesters and actors; names come from users.info. */
export class People {
  private readonly names = new Map<string, { name: string; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly staff: StaffDirectory,
    private readonly logger: Logger,
  ) {}

  async requester(teamId: string, userId: string, fallbackName?: string): Promise<Requester> {
    return { key: `slack:${teamId}:${userId}`, name: await this.name(userId, fallbackName) };
  }

  async actor(teamId: string, userId: string, fallbackName?: string): Promise<Actor> {
    const [requester, isStaff] = await Promise.all([this.requester(teamId, userId, fallbackName), this.staff.isStaff(userId)]);
    return { requester, isStaff };
  }

  private async name(userId: string, fallback?: string): Promise<string> {
    const hit = this.names.get(userId);
    if (hit && hit.until > Date.now()) return hit.name;
    try {
      const { user } = await this.client.users.info({ user: userId });
      const name = user?.real_name || user?.profile?.display_name || user?.name || fallback || userId;
      this.names.set(userId, { name, until: Date.now() + NAME_TTL_MS });
      return name;
    } catch (error) {
      this.logger.warn('users.info failed; using the id as the name', { user: userId, error });
      return fallback || userId;
    }
  }
}
