// Runs javascript-lp-solver's Solve() in a worker thread. jslp is synchronous and has no
// iteration or time limit for plain LPs; it can loop forever on small degenerate LPs (found here:
// the LP dual of Beale's cycling example) and takes minutes on large ones. In a worker the caller
// keeps its event loop and a time limit can be enforced by terminating the thread
// (solver-thread.ts).

import type { Model as JslpModel } from "javascript-lp-solver";
import { SolverThread } from "./solver-thread";

// Plain JS evaluated in the worker, so it works the same under tsx, ts-jest and compiled code.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const solver = require(workerData.modulePath);
parentPort.on("message", (model) => {
  try {
    const result = solver.Solve(model);
    solver.lastSolvedModel = null; // the singleton would keep the dense tableau alive
    parentPort.postMessage({ result });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.stack) || err) });
  }
});
`;

export class JslpTimeLimitError extends Error {}

let thread: SolverThread | undefined;

/** Solves one jslp JSON model in the worker; rejects with JslpTimeLimitError past the limit. */
export function runJslp(model: JslpModel, timeLimitMs: number): Promise<unknown> {
  thread ??= new SolverThread("jslp", SOURCE, {
    modulePath: require.resolve("javascript-lp-solver"),
  });
  return thread.run(model, {
    timeLimitMs,
    onTimeLimit: (limit) => new JslpTimeLimitError(`jslp: time limit ${limit} ms`),
  });
}

/** Stops the shared worker (tests call this in afterAll; a new one starts on the next job). */
export async function closeJslpWorker(): Promise<void> {
  await thread?.close();
}
