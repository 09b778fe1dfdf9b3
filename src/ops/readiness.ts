/** One thing readiness depends on: undefined when it is fine, else what is wrong in plain words. */
export type ReadinessCheck = () => Promise<string | undefined> | string | undefined;

/** The answer of /readyz: ready, or each part that is down and why. */
export interface ReadinessReport {
  ready: boolean;
  down: Record<string, string>;
}

/** Deadline of one check, so /readyz answers even when the store hangs. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * The parts the bot needs to do its work, checked when asked: the store, each front-end's
 * connection, the provider's credentials. Parts are added as start-up reaches them; until then a
 * `starting` part keeps the answer at not ready, and `stopping` does the same on the way down, so
 * a load balancer stops sending work before the bot stops taking it.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces) a part. */
  set(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  delete(name: string): void {
    this.checks.delete(name);
  }

  async report(): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const problems = await Promise.all(entries.map(([name, check]) => bounded(name, check)));
    const down: Record<string, string> = {};
    entries.forEach(([name], i) => {
      const problem = problems[i];
      if (problem !== undefined) down[name] = problem;
    });
    return { ready: Object.keys(down).length === 0, down };
  }
}

async function bounded(name: string, check: ReadinessCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([Promise.resolve().then(check), late]);
  } catch (error) {
    return `${name} check failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
