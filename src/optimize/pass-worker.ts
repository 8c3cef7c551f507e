// The worker side of pass-pool.ts: one thread's loop over the jobs of a pool. A job is a full
// pass at prices the pool wrote to shared memory (the thread takes blocks off the shared counter
// until none is left, writes each block's sums and its own group counts, and says it is done), or
// a switch to another instance the pool posted on the thread's port (a price search's sample).
// Loaded by pass-pool's boot script from src/ (through tsx) or dist/, beside pass-pool.

import { receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import type { Coupling } from "./coupling";
import type { Instance } from "./instance";
import { scanBlock, type ScanInput, type ScanOutput } from "./baseline-scan";
import { passBlock, PassScratch, type BlockOut, type PassPrices } from "./lagrangian";

// control words (Int32Array over a SharedArrayBuffer)
export const GEN = 0; // bumped once per job; workers wait on it
export const NEXT = 1; // next block to take
export const DONE = 2; // workers finished with the job
export const FAILED = 3; // 1 once a worker failed
export const BLOCKS = 4; // blocks of the job
export const WANT = 5; // bit 0: x(λ), bit 1: margins
export const QUIT = 6; // 1 = workers leave their loop
export const KIND = 7; // PASS, LOAD (take the problem posted on the port) or SCAN
export const CONTROL_WORDS = 8;

export const PASS = 0;
export const LOAD = 1;
/** the ad-hoc plan's scan (baseline-scan.ts), whose job is posted on the port */
export const SCAN = 2;

/** The instance a pass runs over, as a worker holds it. */
export interface Problem {
  inst: Instance;
  cp: Coupling;
  /** customers chosen with their household after the blocks (householdFlagOf) */
  hhFlag: Uint8Array | null;
}

/** Everything a worker needs, all of it shared or small. */
export interface PoolShared extends Problem {
  control: Int32Array;
  /** alpha, beta, phi[numGroups], then the custom prices (ls) with a flag before them */
  params: Float64Array;
  sums: Float64Array;
  /** per thread (0 = the caller's), numGroups counts each */
  cnt: Float64Array;
  selected: Uint8Array;
  margins: Float64Array;
  slot: number;
  port: MessagePort;
}

/** Prices into the shared parameter block (layout above). */
export function writeParams(params: Float64Array, pr: PassPrices, numGroups: number): void {
  params[0] = pr.alpha;
  params[1] = pr.beta;
  params.set(pr.phi, 2);
  params[2 + numGroups] = pr.ls === null ? 0 : 1;
  if (pr.ls !== null) params.set(pr.ls, 3 + numGroups);
}

/** The prices a worker reads back (readParams ∘ writeParams is the identity). */
export function readParams(params: Float64Array, numGroups: number, nE: number): PassPrices {
  return {
    alpha: params[0],
    beta: params[1],
    phi: params.slice(2, 2 + numGroups),
    ls: params[2 + numGroups] === 0 ? null : params.slice(3 + numGroups, 3 + numGroups + nE),
  };
}

/** The worker's loop: wait for a job, take blocks until none is left, say done; until QUIT. */
export function serve(s: PoolShared): void {
  const { control } = s;
  let problem: Problem = s;
  let scratch = new PassScratch(problem.inst);
  const numGroups = s.cp.numGroups;
  const cnt = s.cnt.subarray(s.slot * numGroups, (s.slot + 1) * numGroups);
  let gen = 0;
  for (;;) {
    Atomics.wait(control, GEN, gen);
    gen = Atomics.load(control, GEN);
    if (Atomics.load(control, QUIT) !== 0) return;
    try {
      const kind = Atomics.load(control, KIND);
      if (kind === LOAD) {
        const posted = receiveMessageOnPort(s.port);
        if (posted === undefined) throw new Error("LOAD without a problem on the port");
        problem = posted.message as Problem;
        scratch = new PassScratch(problem.inst);
      } else if (kind === SCAN) runScan(s);
      else runBlocks(s, problem, cnt, scratch);
    } catch (err) {
      s.port.postMessage(String((err instanceof Error && err.stack) || err));
      Atomics.store(control, FAILED, 1);
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

/** A scan's job as posted on a worker's port: its input, and its output in shared memory. */
export interface ScanJob {
  inp: ScanInput;
  out: ScanOutput;
}

/** This thread's share of a scan: blocks off the shared counter until none is left. */
function runScan(s: PoolShared) {
  const posted = receiveMessageOnPort(s.port);
  if (posted === undefined) throw new Error("SCAN without a job on the port");
  const { inp, out } = posted.message as ScanJob;
  const nBlocks = Atomics.load(s.control, BLOCKS);
  for (;;) {
    const b = Atomics.add(s.control, NEXT, 1);
    if (b >= nBlocks) break;
    scanBlock(inp, b, out);
  }
}

/** This thread's share of a pass: blocks off the shared counter until none is left. */
function runBlocks(s: PoolShared, problem: Problem, cnt: Float64Array, scratch: PassScratch) {
  const { control } = s;
  const { inst, cp } = problem;
  const pr = readParams(s.params, cp.numGroups, cp.extraRow.length);
  const want = Atomics.load(control, WANT);
  const nBlocks = Atomics.load(control, BLOCKS);
  const out: BlockOut = {
    sums: s.sums,
    cnt,
    selected: want & 1 ? s.selected : undefined,
    margins: want & 2 ? s.margins : undefined,
    hhFlag: problem.hhFlag,
  };
  for (;;) {
    const b = Atomics.add(control, NEXT, 1);
    if (b >= nBlocks) break;
    passBlock(inst, cp, pr, b, out, scratch);
  }
}
