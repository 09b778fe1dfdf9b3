import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

const TTL_MS = 60_000;

/**
 * Who belongs to the staff user group (SLACK_STAFF_USERGROUP), read with usergroups.users.list
 * and kept for a minute so a burst of button clicks costs one call. Unknown means not staff.
 */
export class StaffDirectory {
  private cached: { members: Set<string>; until: number } | undefined;
  private loading: Promise<Set<string>> | undefined;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly usergroup: string | undefined,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async isStaff(userId: string): Promise<boolean> {
    if (!this.usergroup) return false;
    if (this.cached && this.cached.until > this.now()) return this.cached.members.has(userId);
    this.loading ??= this.load(this.usergroup).finally(() => (this.loading = undefined));
    return (await this.loading).has(userId);
  }

  private async load(usergroup: string): Promise<Set<string>> {
    try {
      const result = await this.client.usergroups.users.list({ usergroup });
      const members = new Set(result.users ?? []);
      this.cached = { members, until: this.now() + TTL_MS };
      return members;
    } catch (error) {
      this.logger.warn('staff user group could not be read; treating everyone as non-staff', { usergroup, error });
      return this.cached?.members ?? new Set();
    }
  }
}
