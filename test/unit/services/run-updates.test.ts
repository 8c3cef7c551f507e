// The iterator behind planUpdated / analysisUpdated, driven by a hand-fed change source: what it
// yields, what it folds together, and that ending it stops the watch at once.
import { runStates, type RunChanges, type RunState } from "../../../src/services/run-updates";

class FakeChanges implements RunChanges {
  readonly watchers = new Set<() => void>();
  watch(_kind: "plan" | "analysis", _id: number, onChange: () => void): () => void {
    this.watchers.add(onChange);
    return () => this.watchers.delete(onChange);
  }
  latest<T>(_kind: "plan" | "analysis", _id: number, read: () => Promise<T>): Promise<T> {
    return read();
  }
  change(): void {
    for (const w of [...this.watchers]) w();
  }
}

const state = (status: string, progress = 0, phase: string | null = null): RunState => ({
  status,
  phase,
  progress,
});

/** a read that returns what `current` holds when it runs */
function rowSource(initial: RunState | null) {
  const src = { current: initial, reads: 0, read: async () => (src.reads++, src.current) };
  return src;
}

describe("runStates", () => {
  it("yields the current state, each new one, and ends after a terminal one", async () => {
    const changes = new FakeChanges();
    const row = rowSource(state("QUEUED"));
    const it = (await runStates(changes, "plan", 1, row.read))!;
    expect(await it.next()).toEqual({ done: false, value: state("QUEUED") });
    const pending = it.next();
    row.current = state("RUNNING", 0.5, "solve");
    changes.change();
    expect(await pending).toEqual({ done: false, value: state("RUNNING", 0.5, "solve") });
    row.current = state("SUCCEEDED", 1, "done");
    changes.change();
    expect(await it.next()).toEqual({ done: false, value: state("SUCCEEDED", 1, "done") });
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(changes.watchers.size).toBe(0);
  });

  it("folds changes that come during a read into one read, and skips a state already sent", async () => {
    const changes = new FakeChanges();
    const row = rowSource(state("QUEUED"));
    const it = (await runStates(changes, "plan", 1, row.read))!;
    await it.next();
    changes.change();
    changes.change();
    changes.change();
    row.current = state("RUNNING", 0.2, "load");
    expect(await it.next()).toEqual({ done: false, value: state("RUNNING", 0.2, "load") });
    expect(row.reads).toBe(2);
    // a change that leaves the state as sent yields nothing
    const pending = it.next();
    changes.change();
    await new Promise((r) => setImmediate(r));
    row.current = state("CANCELLED");
    changes.change();
    expect(await pending).toEqual({ done: false, value: state("CANCELLED") });
  });

  it("ends at once when returned while waiting for a change, and stops watching", async () => {
    const changes = new FakeChanges();
    const it = (await runStates(changes, "plan", 1, rowSource(state("RUNNING", 0.1)).read))!;
    await it.next();
    const pending = it.next();
    expect(changes.watchers.size).toBe(1);
    await it.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(changes.watchers.size).toBe(0);
  });

  it("gives null for an unknown run, watching nothing", async () => {
    const changes = new FakeChanges();
    expect(await runStates(changes, "analysis", 9, rowSource(null).read)).toBeNull();
    expect(changes.watchers.size).toBe(0);
  });

  it("ends when the run is gone", async () => {
    const changes = new FakeChanges();
    const row = rowSource(state("QUEUED"));
    const it = (await runStates(changes, "plan", 1, row.read))!;
    await it.next();
    row.current = null;
    changes.change();
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(changes.watchers.size).toBe(0);
  });
});
