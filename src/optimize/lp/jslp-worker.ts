// Runs javascript-lp-solver's Solve() in a worker thread. jslp is synchronous and has no
// iteration or time limit for plain LPs; it can loop forever on small degenerate LPs (found here:
// the LP dual of Beale's cycling example) and takes minutes on large ones. In a worker the caller
// keeps its event loop and a time limit can be enforced by terminating the thread.
//
// One worker is shared and jobs are serialised, so a time limit counts a job's own run time, not
// time spent queued. The worker is unref'd while idle so it never keeps a process alive.

import { Worker } from "node:worker_threads";
import type { Model as JslpModel } from "javascript-lp-solver";

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

let worker: Worker | undefined;
let queue: Promise<unknown> = Promise.resolve();

function getWorker(): Worker {
  if (worker === undefined) {
    const modulePath = require.resolve("javascript-lp-solver");
    worker = new Worker(SOURCE, { eval: true, workerData: { modulePath } });
    worker.unref();
  }
  return worker;
}

function execute(model: JslpModel, timeLimitMs: number): Promise<unknown> {
  const w = getWorker();
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void, dropWorker: boolean) => {
      if (timer !== undefined) clearTimeout(timer);
      w.off("message", onMessage);
      w.off("error", onFailure);
      w.off("exit", onFailure);
      if (dropWorker) {
        if (worker === w) worker = undefined;
        void w.terminate();
      } else w.unref();
      fn();
    };
    const onMessage = (msg: unknown) => {
      const reply = (typeof msg === "object" && msg !== null ? msg : {}) as Record<string, unknown>;
      if (typeof reply.error === "string") {
        settle(() => reject(new Error(`jslp: ${reply.error}`)), false);
      } else settle(() => resolve(reply.result), false);
    };
    const onFailure = (err: unknown) =>
      settle(
        () => reject(err instanceof Error ? err : new Error(`jslp worker exited: ${String(err)}`)),
        true,
      );
    w.on("message", onMessage);
    w.on("error", onFailure);
    w.on("exit", onFailure);
    if (Number.isFinite(timeLimitMs)) {
      const limit = Math.max(1, Math.min(timeLimitMs, 2 ** 31 - 1));
      timer = setTimeout(
        () => settle(() => reject(new JslpTimeLimitError(`jslp: time limit ${limit} ms`)), true),
        limit,
      );
    }
    w.ref();
    w.postMessage(model);
  });
}

/** Solves one jslp JSON model in the worker; rejects with JslpTimeLimitError past the limit. */
export function runJslp(model: JslpModel, timeLimitMs: number): Promise<unknown> {
  const job = queue.then(() => execute(model, timeLimitMs));
  queue = job.catch(() => undefined);
  return job;
}

/** Stops the shared worker (tests call this in afterAll; a new one starts on the next job). */
export async function closeJslpWorker(): Promise<void> {
  await queue;
  const w = worker;
  worker = undefined;
  if (w !== undefined) await w.terminate();
}
