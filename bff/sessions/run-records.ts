/**
 * The run-record part of the store: which BFF instance owns each tool run in flight, and whether
 * that owner is still alive (a lease it renews). The log says what is in flight (a
 * tool_call_started without its client_tool_result); these records say who finishes it, so a
 * run left by a crashed instance is found and finished by another one (or by the next process).
 * A record lives from just before tool_call_started until its result is logged and stored.
 */

/** Default owner lease (RUN_LEASE_MS): a crashed instance's runs are adopted at most this long after its last heartbeat. */
export const DEFAULT_RUN_LEASE_MS = 10_000;

export interface RunRecord {
  session_id: string;
  tool_call_id: string;
  /** The instance running it. */
  owner: string;
  /** How many instances took it on: 1 = the first; each adoption after a crash adds one. */
  attempts: number;
  /** When the first attempt began (ms, the store's clock). */
  started_at: number;
}

export interface RunRecords {
  /**
   * Registers the run for `run.owner`, atomically, unless one is already open for this
   * (session, tool_call_id): then that one is returned and nothing changes. null = registered.
   */
  open(run: RunRecord): Promise<RunRecord | null>;
  get(sessionId: string, toolCallId: string): Promise<RunRecord | undefined>;
  /** Hands an open run from `from` to `to` (attempts + 1), atomically: null when `from` no longer holds it. */
  adopt(sessionId: string, toolCallId: string, from: string, to: string): Promise<RunRecord | null>;
  /** The run's result is logged and stored: the record goes. */
  close(sessionId: string, toolCallId: string): Promise<void>;
  /** The owner's lease: alive for ttlMs more (renewed by each instance's heartbeat). */
  renewOwner(owner: string, ttlMs: number): Promise<void>;
  /** The owner stopped (graceful shutdown): its runs may be adopted at once. */
  dropOwner(owner: string): Promise<void>;
  ownerAlive(owner: string): Promise<boolean>;
  /** Open runs whose owner's lease has lapsed (never `self`'s). */
  orphaned(self: string): Promise<RunRecord[]>;
}

/** Run records in memory: for the memory store (one process) and tests. */
export class MemoryRunRecords implements RunRecords {
  private readonly runs = new Map<string, RunRecord>();
  private readonly owners = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async open(run: RunRecord): Promise<RunRecord | null> {
    const key = runKey(run.session_id, run.tool_call_id);
    const held = this.runs.get(key);
    if (held) return { ...held };
    this.runs.set(key, { ...run });
    return null;
  }

  async get(sessionId: string, toolCallId: string): Promise<RunRecord | undefined> {
    const r = this.runs.get(runKey(sessionId, toolCallId));
    return r ? { ...r } : undefined;
  }

  async adopt(sessionId: string, toolCallId: string, from: string, to: string): Promise<RunRecord | null> {
    const r = this.runs.get(runKey(sessionId, toolCallId));
    if (!r || r.owner !== from) return null;
    r.owner = to;
    r.attempts++;
    return { ...r };
  }

  async close(sessionId: string, toolCallId: string): Promise<void> {
    this.runs.delete(runKey(sessionId, toolCallId));
  }

  async renewOwner(owner: string, ttlMs: number): Promise<void> {
    this.owners.set(owner, this.now() + ttlMs);
  }

  async dropOwner(owner: string): Promise<void> {
    this.owners.delete(owner);
  }

  async ownerAlive(owner: string): Promise<boolean> {
    return (this.owners.get(owner) ?? 0) > this.now();
  }

  async orphaned(self: string): Promise<RunRecord[]> {
    const t = this.now();
    for (const [owner, until] of this.owners) if (until <= t) this.owners.delete(owner);
    return [...this.runs.values()].filter((r) => r.owner !== self && !this.owners.has(r.owner)).map((r) => ({ ...r }));
  }
}

function runKey(sessionId: string, toolCallId: string): string {
  return `${sessionId} ${toolCallId}`;
}
