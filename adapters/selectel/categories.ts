import type { Logger } from '../../src/logger.js';
import type { HttpClient } from '../../src/provider-kit/http.js';
import { routes } from './routes.js';
import { SelectelCategoryList } from './schemas.js';

type ProviderHttp = ReturnType<HttpClient['forProvider']>;

/** One category the vendor offers: its key, and the words the form shows for it. */
export interface CategoryChoice {
  key: string;
  label: string;
}

/** How long the vendor's list is trusted before it is asked again. */
const CATEGORY_TTL_MS = 10 * 60_000;

/**
 * The categories Selectel itself lists (`GET /categories`, active ones only): what the form offers
 * and what validation accepts. Read on start and again once it is older than the TTL; a failed
 * read keeps the last good list (or none, when the form falls back to SELECTEL_CATEGORY).
 */
export class CategoryCatalogue {
  private choices: CategoryChoice[] | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private failing = false;

  constructor(
    private readonly http: ProviderHttp,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** The vendor's list as last read, or undefined when it has never answered. */
  get current(): readonly CategoryChoice[] | undefined {
    return this.choices;
  }

  async refresh(): Promise<void> {
    if (this.now() - this.readAt < CATEGORY_TTL_MS) return;
    try {
      const list = await this.http.request(SelectelCategoryList, { ...routes.listCategories(), query: { is_only_active: true } });
      this.choices = list.items.map((c) => ({ key: c.key, label: c.names?.['en']?.trim() || humanise(c.key) }));
      this.readAt = this.now();
      if (this.failing) this.logger.info('Selectel categories read again', { count: this.choices.length });
      this.failing = false;
    } catch (error) {
      // One line when it starts failing, not one per form; the next form asks again.
      if (!this.failing) this.logger.warn('Selectel categories could not be read; the form offers SELECTEL_CATEGORY', { error });
      this.failing = true;
    }
  }
}

/** `cloud_servers` → "Cloud servers": catalogue keys read as words in the form. */
export function humanise(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}
