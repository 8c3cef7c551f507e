// A plan's or an analysis's states as they change, until it ends: the source of the planUpdated
// and analysisUpdated subscriptions. The current state is read first (so an unknown id is refused
// before anything is sent), then each change the database announces is re-read, and the sequence
// ends after the first terminal state.
import type { RunChanges, RunKind } from "../db/run-notify";

export type { RunChanges, RunKind } from "../db/run-notify";
export { RunChangeListener } from "../db/run-notify";

export interface RunState {
  status: string;
  phase: string | null;
  progress: number;
}

const TERMINAL: ReadonlySet<string> = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

export const isTerminal = (s: RunState) => TERMINAL.has(s.status);

const sameState = (a: RunState, b: RunState) =>
  a.status === b.status && a.phase === b.phase && a.progress === b.progress;

/**
 * The run's current state, then every state it moves to, ending after a terminal one (or when the
 * run is gone); null when there is no such run. Changes that arrive while a read is under way are folded into the next read, so a slow
 * client gets the latest state rather than a backlog. Written as a plain iterator, not an async
 * generator, because a generator waiting for the next change cannot be ended until one comes:
 * `return()` here ends it at once and stops watching.
 */
export async function runStates<T extends RunState>(
  changes: RunChanges,
  kind: RunKind,
  id: number,
  read: () => Promise<T | null>,
): Promise<AsyncIterableIterator<T> | null> {
  let last: T | null = null;
  let finished = false;
  let changed = false;
  let wake: (() => void) | null = null;
  // watching before the first read, so that no change falls between the two
  const unwatch = changes.watch(kind, id, () => {
    changed = true;
    wake?.();
  });
  let initial: T | null;
  try {
    initial = await read();
  } catch (e) {
    unwatch();
    throw e;
  }
  if (!initial) {
    unwatch();
    return null;
  }
  const first: T = initial;
  const finish = (): IteratorResult<T> => {
    finished = true;
    unwatch();
    wake?.();
    return { done: true, value: undefined };
  };
  const nextChange = () =>
    new Promise<void>((resolve) => {
      if (changed || finished) return resolve();
      wake = () => {
        wake = null;
        resolve();
      };
    });

  const next = async (): Promise<IteratorResult<T>> => {
    if (finished || (last && isTerminal(last))) return finish();
    if (!last) {
      last = first;
      return { done: false, value: first };
    }
    for (;;) {
      await nextChange();
      if (finished) return { done: true, value: undefined };
      changed = false;
      const state = await read();
      if (finished) return { done: true, value: undefined };
      if (!state) return finish();
      if (sameState(state, last)) continue;
      last = state;
      return { done: false, value: state };
    }
  };
  const iterator: AsyncIterableIterator<T> = {
    next,
    return: async () => finish(),
    throw: async (e: unknown) => {
      finish();
      throw e;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
