// A HiGHS solve that may be stopped runs on its own thread: the caller's event loop stays free,
// a stop ends the solve part-way, and the solution is the one the calling thread computes.
import { clusterModel } from "../../../bench/lp-models";
import { closeHighsThread, createSolver, type LpSolution } from "../../../src/optimize/lp";
import { THREAD_MIN_COLUMNS } from "../../../src/optimize/lp/highs";
import { OptimizeStoppedError } from "../../../src/optimize/stop";

afterAll(closeHighsThread);

const solver = createSolver("highs");
/** 33,000 columns: a solve of about a second here (docs/performance.md, LP backends) */
const big = clusterModel(1000);

const timed = async <T>(p: () => Promise<T>) => {
  const t0 = performance.now();
  const value = await p();
  return { value, ms: performance.now() - t0 };
};

// (arrays compared as plain arrays: under jest the thread's come from another realm)
const same = (a: LpSolution, b: LpSolution) => {
  expect(b.status).toBe(a.status);
  expect(b.objective).toBe(a.objective);
  expect(Array.from(b.x)).toEqual(Array.from(a.x));
  expect(Array.from(b.rowActivity)).toEqual(Array.from(a.rowActivity));
  expect(Array.from(b.rowDual)).toEqual(Array.from(a.rowDual));
};

describe("HiGHS with shouldStop", () => {
  let inThread: { value: LpSolution; ms: number };

  beforeAll(async () => {
    expect(big.numCols).toBeGreaterThanOrEqual(THREAD_MIN_COLUMNS);
    await solver.solve(clusterModel(5)); // the WASM module loaded before anything is timed
    inThread = await timed(() => solver.solve(big));
  });

  it("gives the calling thread's solution, bit for bit, and keeps the event loop free", async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    let polls = 0;
    const { value } = await timed(() =>
      solver.solve(big, {
        shouldStop: () => {
          polls++;
          return false;
        },
      }),
    );
    clearInterval(ticker);
    same(inThread.value, value);
    expect(value.status).toBe("optimal");
    // it was asked while it ran, and timers ran meanwhile
    expect(polls).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(0);
  });

  it("stops part-way, long before the solve would end, and the next solve works", async () => {
    const stopAt = performance.now() + 50;
    const stopped = await timed(() =>
      solver.solve(big, { shouldStop: () => performance.now() >= stopAt }).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(stopped.value).toBeInstanceOf(OptimizeStoppedError);
    expect(stopped.ms).toBeLessThan(inThread.ms / 2);
    same(inThread.value, await solver.solve(big, { shouldStop: () => false }));
  });

  it("solves a small model on the calling thread (no thread to start for it)", async () => {
    let polls = 0;
    const small = clusterModel(20);
    expect(small.numCols).toBeLessThan(THREAD_MIN_COLUMNS);
    const r = await solver.solve(small, { shouldStop: () => ++polls > 0 });
    expect(r.status).toBe("optimal");
    expect(polls).toBe(0);
  });
});
