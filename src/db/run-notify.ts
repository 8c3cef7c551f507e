// Changes of plans and analyses as they happen, for live progress. A trigger NOTIFYs the run's id
// on every change of its status, phase or progress (migration run_update_notify), whoever wrote
// it; one dedicated connection per server process LISTENs and fans each notification out to the
// in-process subscribers of that run. A lost connection is re-opened with a growing pause, and
// every subscriber is then told to re-read, for what it may have missed meanwhile.
import type { PoolConfig } from "pg";
import type { Logger } from "pino";
import { PgListener } from "./pg-listener";

export type RunKind = "plan" | "analysis";

export const RUN_CHANNELS: Record<RunKind, string> = {
  plan: "offerplan_plan_updated",
  analysis: "offerplan_analysis_updated",
};

export interface RunChanges {
  /**
   * Calls `onChange` after each change of the run (and after a reconnection, when a change may
   * have been missed); the returned function stops it.
   */
  watch(kind: RunKind, id: number, onChange: () => void): () => void;
  /**
   * `read`'s result for the run, shared by every caller since the run's last change: one query
   * per change however many subscribers follow the run (a read started after the change's
   * notification arrived has everything that change committed).
   */
  latest<T>(kind: RunKind, id: number, read: () => Promise<T>): Promise<T>;
}

export class RunChangeListener implements RunChanges {
  private readonly listener: PgListener;
  private readonly watchers = new Map<string, Set<() => void>>();
  /** notifications received per watched run; a read is shared within one generation */
  private readonly generations = new Map<string, number>();
  private readonly reads = new Map<string, { generation: number; result: Promise<unknown> }>();

  constructor(config: PoolConfig, log: Logger) {
    const kinds = Object.entries(RUN_CHANNELS) as [RunKind, string][];
    this.listener = new PgListener(config, log, {
      name: "run change listener",
      applicationName: "offerplan-run-listener",
      listeningMessage: "listening for run changes",
      channels: kinds.map(([, channel]) => channel),
      onNotification: (channel, payload) => {
        const kind = kinds.find(([, c]) => c === channel)?.[0];
        if (kind && payload) this.notify(`${kind}:${payload}`);
      },
      // every subscriber re-reads, for what it may have missed while the connection was down
      onListening: (reconnect) => {
        if (reconnect) this.notifyAll();
      },
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  watch(kind: RunKind, id: number, onChange: () => void): () => void {
    const key = `${kind}:${id}`;
    let set = this.watchers.get(key);
    if (!set) this.watchers.set(key, (set = new Set()));
    set.add(onChange);
    return () => {
      set.delete(onChange);
      if (set.size > 0 || this.watchers.get(key) !== set) return;
      this.watchers.delete(key);
      this.generations.delete(key);
      this.reads.delete(key);
    };
  }

  latest<T>(kind: RunKind, id: number, read: () => Promise<T>): Promise<T> {
    const key = `${kind}:${id}`;
    const generation = this.generations.get(key) ?? 0;
    const shared = this.reads.get(key);
    if (shared?.generation === generation) return shared.result as Promise<T>;
    const result = read();
    // only runs someone watches are kept (unwatch drops the last one's)
    if (this.watchers.has(key)) this.reads.set(key, { generation, result });
    result.catch(() => {
      if (this.reads.get(key)?.result === result) this.reads.delete(key);
    });
    return result;
  }

  /** Subscribers watching now, for the log and tests. */
  get watching(): number {
    let n = 0;
    for (const set of this.watchers.values()) n += set.size;
    return n;
  }

  private notify(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    for (const onChange of [...(this.watchers.get(key) ?? [])]) onChange();
  }

  private notifyAll(): void {
    for (const key of [...this.watchers.keys()]) this.notify(key);
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }
}
