/**
 * Run once per key, for tool runs and ui_actions alike: the first run's answer is kept in the
 * store under the key (for the idempotency TTL) and every repeat — in this process, on another
 * instance, after a restart — is answered with it; in this process a repeat joins the run still
 * going. How a key is held while its work runs differs by what a crash must leave behind: a tool
 * run holds a run record with its owner's lease, so another instance can finish it (runner.ts);
 * a ui_action, short and with nothing to finish, holds a single-use claim (`claimed`).
 */
import type { KeyValueStore } from '../sessions/store.ts';

/** The store's small key-value part (the session service offers it): claims and kept answers. */
export type OnceRecords = Pick<KeyValueStore, 'claimOnce' | 'releaseClaim' | 'getRecord' | 'putRecord'>;

export class RunOnce {
  /** Runs going on in this process, by key. */
  private readonly runs = new Map<string, Promise<unknown>>();

  constructor(
    private readonly records: OnceRecords,
    private readonly ttlMs: number,
  ) {}

  /** The answer kept for key, if its run finished. */
  kept<T>(key: string): Promise<T | undefined> {
    return this.records.getRecord<T>(key);
  }

  keep(key: string, answer: unknown): Promise<void> {
    return this.records.putRecord(key, answer, this.ttlMs);
  }

  /** The run of key going on in this process, if any. */
  running<T>(key: string): Promise<T> | undefined {
    return this.runs.get(key) as Promise<T> | undefined;
  }

  /** Registers run as key's run in this process until it settles (register before any await, so a repeat in the same tick finds it). */
  track(key: string, run: Promise<unknown>): void {
    this.runs.set(key, run);
    void run.catch(() => undefined).finally(() => {
      if (this.runs.get(key) === run) this.runs.delete(key);
    });
  }

  /** Runs going on in this process. */
  get inFlight(): number {
    return this.runs.size;
  }

  /** Settles when every run going on now has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.runs.values()]);
  }

  /**
   * Runs work if this is the first time key is claimed and keeps what `asRepeat` makes of its
   * answer for repeats; an answer it maps to null (worth retrying) is not kept and the claim is
   * given back, as it is when work throws. A repeat gets the kept answer, or `whileRunning` while
   * the first run has not finished.
   */
  async claimed<T>(key: string, work: () => Promise<T>, o: { asRepeat: (answer: T) => T | null; whileRunning: T }): Promise<T> {
    if (!(await this.records.claimOnce(key, this.ttlMs))) return (await this.kept<T>(key)) ?? o.whileRunning;
    let answer: T;
    try {
      answer = await work();
    } catch (err) {
      await this.records.releaseClaim(key).catch(() => undefined);
      throw err;
    }
    const repeat = o.asRepeat(answer);
    if (repeat === null) await this.records.releaseClaim(key);
    else await this.keep(key, repeat);
    return answer;
  }
}
