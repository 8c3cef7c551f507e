// Worker threads for the full Lagrangian passes: the per-customer argmax at given prices, which
// every price search repeats tens of times over all customers. The instance is shared with the
// threads once (SharedArrayBuffer, no copy when the loader allocated it shared); a pass then
// writes its prices to shared memory and wakes the threads, and every thread, this one included,
// takes blocks of PASS_BLOCK customers off a shared counter until none is left. Each block writes
// its own sums, and lagrangianPass adds them in block order, so which thread took which block
// never shows in a result: any number of threads gives the same plan.
//
// The pass stays synchronous (Atomics.wait): the price search, repair and polish around it are
// the same code with or without threads. A pool lives for one optimise() call and is closed at
// its end, on error and on cancellation too.

import {
  receiveMessageOnPort,
  MessageChannel,
  Worker,
  type MessagePort,
} from "node:worker_threads";
import type { Coupling } from "./coupling";
import type { Instance } from "./instance";
import {
  blockWidth,
  householdFlagOf,
  passBlock,
  PassScratch,
  PASS_BLOCK,
  type BlockOut,
  type BlockRunner,
  type PassPrices,
} from "./lagrangian";
import {
  BLOCKS,
  CONTROL_WORDS,
  DONE,
  FAILED,
  GEN,
  KIND,
  LOAD,
  NEXT,
  PASS,
  QUIT,
  SCAN,
  WANT,
  writeParams,
  type PoolShared,
  type Problem,
  type ScanJob,
} from "./pass-worker";
import {
  scanBlock,
  scanBlocks,
  type ScanInput,
  type ScanOutput,
  type ScanRunner,
} from "./baseline-scan";
import type { StopCheck } from "./stop";

/**
 * Seconds a worker may stay silent after the blocks ran out before it is taken for dead: a block
 * takes milliseconds, and a thread that fails with an error says so at once, so this only ends a
 * pass whose thread the system killed. Counted in timed-out waits of a second: the core reads
 * no clock.
 */
const WORKER_SILENCE_SECONDS = 60;

type TypedArray = Int32Array | Uint16Array | Uint8Array | Float64Array;

/** The array itself when it already lives in shared memory, else a shared copy. */
function shared<T extends TypedArray>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(a.byteLength));
  (copy as TypedArray).set(a as never);
  return copy;
}

function sharedZeros<T extends TypedArray>(
  Ctor: new (buffer: SharedArrayBuffer) => T,
  length: number,
  bytes: number,
): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * bytes));
}

/**
 * The instance and coupling as the workers see them: what a pass reads per option in shared
 * memory, the per-customer arrays a pass never reads left out (they would be copied per worker).
 */
function sharedProblem(inst: Instance, cp: Coupling): { inst: Instance; cp: Coupling } {
  const none = new Int32Array(0);
  const classes = (cp.local?.classes.length ?? 0) > 0;
  return {
    inst: {
      ...inst,
      custStart: shared(inst.custStart),
      optOffer: cp.maxOffersPerCustomer > 1 ? shared(inst.optOffer) : none,
      // only the per-customer rules' chooser reads channels
      optChannel: classes ? shared(inst.optChannel) : none,
      optReturn: shared(inst.optReturn),
      optCost: shared(inst.optCost),
      customerSegment: none,
      customerKey: none,
    },
    cp: { ...cp, optGroup: shared(cp.optGroup), extraCoef: cp.extraCoef.map(shared) },
  };
}

// Plain JavaScript evaluated in each worker: it loads pass-worker from the sources (through tsx,
// a runtime dependency, as under ts-jest and `tsx`) or from the compiled dist/, whichever this
// module was loaded from, and reports a failure to load instead of leaving the pass waiting.
const BOOT = `
const { workerData } = require("node:worker_threads");
try {
  if (workerData.file.endsWith(".ts")) require(workerData.tsx).register();
  require(workerData.file).serve(workerData.shared);
} catch (err) {
  workerData.shared.port.postMessage(String((err && err.stack) || err));
  const control = workerData.shared.control;
  Atomics.store(control, ${FAILED}, 1);
  Atomics.add(control, ${DONE}, 1);
  Atomics.notify(control, ${DONE});
}
`;

function workerFile(): string {
  // this module's own file, with its name swapped: pass-worker sits beside it in src/ and dist/
  return __filename.replace(/pass-pool\.(ts|js)$/, "pass-worker.$1");
}

/** An instance the pool runs passes over: the caller's arrays, and the workers' shared view. */
interface Served {
  inst: Instance;
  cp: Coupling;
  shared: Problem;
  /** the calling thread's scratch for its blocks */
  scratch: PassScratch | null;
}

function served(inst: Instance, cp: Coupling): Served {
  const flag = householdFlagOf(cp);
  const problem = sharedProblem(inst, cp);
  return {
    inst,
    cp,
    shared: { ...problem, hhFlag: flag === null ? null : shared(flag) },
    scratch: null,
  };
}

export class PassPool implements BlockRunner, ScanRunner {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly base: Omit<PoolShared, "slot" | "port">;
  private readonly main: Served;
  /** the problem the workers hold */
  private held: Problem;
  private closed = false;

  /**
   * A pool of threads − 1 workers for full passes over inst (and, through view(), over samples of
   * it); the caller's thread is the last one.
   */
  constructor(
    readonly inst: Instance,
    readonly cp: Coupling,
    threads: number,
  ) {
    this.main = served(inst, cp);
    this.held = this.main.shared;
    const nE = cp.extraRow.length;
    const maxBlocks = Math.ceil(inst.numCustomers / PASS_BLOCK);
    this.base = {
      ...this.main.shared,
      control: sharedZeros(Int32Array, CONTROL_WORDS, 4),
      params: sharedZeros(Float64Array, 3 + cp.numGroups + nE, 8),
      sums: sharedZeros(Float64Array, maxBlocks * blockWidth(cp), 8),
      cnt: sharedZeros(Float64Array, threads * cp.numGroups, 8),
      selected: sharedZeros(Uint8Array, inst.optOffer.length, 1),
      margins: sharedZeros(Float64Array, inst.numCustomers, 8),
    };
    const file = workerFile();
    const tsx = file.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";
    for (let slot = 1; slot < threads; slot++) {
      const { port1, port2 } = new MessageChannel();
      const data = { file, tsx, shared: { ...this.base, slot, port: port2 } };
      const worker = new Worker(BOOT, { eval: true, workerData: data, transferList: [port2] });
      // a worker never keeps the process alive; close() ends it
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  run(pr: PassPrices, out: BlockOut, stop: StopCheck): void {
    this.runOn(this.main, pr, out, stop);
  }

  /**
   * Passes over another instance with the same groups and rows (a price search's sample, whose
   * arrays should be shared memory: sample.ts allocates them so), on the same threads.
   */
  view(inst: Instance, cp: Coupling): BlockRunner {
    if (inst.numCustomers > this.inst.numCustomers || cp.numGroups !== this.cp.numGroups)
      throw new Error("a pool's view must be a sample of its instance");
    const s = served(inst, cp);
    return {
      inst,
      cp,
      run: (pr, out, stop) => this.runOn(s, pr, out, stop),
      view: (i, c) => this.view(i, c),
    };
  }

  private runOn(on: Served, pr: PassPrices, out: BlockOut, stop: StopCheck): void {
    if (this.closed) throw new Error("pass pool used after close");
    if (this.held !== on.shared) this.load(on.shared);
    const { control, params, sums, cnt, selected, margins } = this.base;
    const numGroups = this.cp.numGroups;
    const nBlocks = out.sums.length / blockWidth(on.cp);
    writeParams(params, pr, numGroups);
    cnt.fill(0);
    Atomics.store(control, NEXT, 0);
    Atomics.store(control, DONE, 0);
    Atomics.store(control, BLOCKS, nBlocks);
    Atomics.store(control, WANT, (out.selected ? 1 : 0) | (out.margins ? 2 : 0));
    Atomics.add(control, GEN, 1);
    Atomics.notify(control, GEN);

    const mine: BlockOut = {
      sums,
      cnt: cnt.subarray(0, numGroups),
      selected: out.selected ? selected : undefined,
      margins: out.margins ? margins : undefined,
      hhFlag: on.shared.hhFlag,
    };
    on.scratch ??= new PassScratch(on.inst);
    for (;;) {
      const b = Atomics.add(control, NEXT, 1);
      if (b >= nBlocks) break;
      stop.poll();
      passBlock(on.inst, on.cp, pr, b, mine, on.scratch);
    }
    this.awaitWorkers();
    out.sums.set(sums.subarray(0, out.sums.length));
    for (let t = 0; t < this.threads; t++) {
      const part = cnt.subarray(t * numGroups, (t + 1) * numGroups);
      for (let g = 0; g < numGroups; g++) out.cnt[g] += part[g];
    }
    if (out.selected) out.selected.set(selected.subarray(0, out.selected.length));
    if (out.margins) out.margins.set(margins.subarray(0, out.margins.length));
  }

  /**
   * The ad-hoc plan's scan (baseline-scan.ts) on every thread. out must live in shared memory
   * (scanOutput(…, true)): the workers write into it.
   */
  scan(inp: ScanInput, out: ScanOutput, stop: StopCheck): void {
    if (this.closed) throw new Error("pass pool used after close");
    if (!(out.best.buffer instanceof SharedArrayBuffer))
      throw new Error("a scan's output must be in shared memory");
    const job: ScanJob = { inp: this.sharedScanInput(inp), out };
    const control = this.base.control;
    for (const port of this.ports) port.postMessage(job);
    const nBlocks = scanBlocks(inp.custStart.length - 1);
    Atomics.store(control, KIND, SCAN);
    Atomics.store(control, NEXT, 0);
    Atomics.store(control, DONE, 0);
    Atomics.store(control, BLOCKS, nBlocks);
    Atomics.add(control, GEN, 1);
    Atomics.notify(control, GEN);
    try {
      for (;;) {
        const b = Atomics.add(control, NEXT, 1);
        if (b >= nBlocks) break;
        stop.poll();
        scanBlock(inp, b, out);
      }
    } finally {
      // a stop leaves the blocks to the workers; they are waited for before the pool runs on
      this.awaitWorkers();
      Atomics.store(control, KIND, PASS);
    }
  }

  /** shared copies made for scans, by the array copied: made once per pool */
  private readonly scanCopies = new Map<TypedArray, TypedArray>();

  /** a scan's input in shared memory: the pool's own shared arrays where they are the same */
  private sharedScanInput(inp: ScanInput): ScanInput {
    const own = this.main.shared.inst;
    const copies = this.scanCopies;
    const pick = <T extends TypedArray>(a: T, mine: T, theirs: T): T => {
      if (a === mine && theirs.length === a.length) return theirs;
      const copy = (copies.get(a) as T | undefined) ?? shared(a);
      copies.set(a, copy);
      return copy;
    };
    return {
      custStart: pick(inp.custStart, this.inst.custStart, own.custStart),
      optOffer: pick(inp.optOffer, this.inst.optOffer, own.optOffer),
      optReturn: pick(inp.optReturn, this.inst.optReturn, own.optReturn),
      optCost: pick(inp.optCost, this.inst.optCost, own.optCost),
      slotOf: inp.slotOf,
    };
  }

  /** Hands the workers another problem (posted on their ports) and waits until they hold it. */
  private load(problem: Problem): void {
    const control = this.base.control;
    for (const port of this.ports) port.postMessage(problem);
    Atomics.store(control, KIND, LOAD);
    Atomics.store(control, DONE, 0);
    Atomics.add(control, GEN, 1);
    Atomics.notify(control, GEN);
    this.awaitWorkers();
    Atomics.store(control, KIND, PASS);
    this.held = problem;
  }

  private awaitWorkers(): void {
    const control = this.base.control;
    const want = this.workers.length;
    let silent = 0;
    let seen = Atomics.load(control, DONE);
    while (seen < want) {
      const waited = Atomics.wait(control, DONE, seen, 1000);
      if (Atomics.load(control, FAILED) !== 0) this.fail();
      const now = Atomics.load(control, DONE);
      if (now !== seen) {
        seen = now;
        silent = 0;
      } else if (waited === "timed-out" && ++silent >= WORKER_SILENCE_SECONDS) {
        throw new Error(`pass worker silent for ${WORKER_SILENCE_SECONDS} s`);
      }
    }
    if (Atomics.load(control, FAILED) !== 0) this.fail();
  }

  private fail(): never {
    for (const port of this.ports) {
      const msg = receiveMessageOnPort(port);
      if (msg !== undefined) throw new Error(`pass worker failed: ${String(msg.message)}`);
    }
    throw new Error("pass worker failed");
  }

  /** Ends the workers; the pool cannot run passes afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.base.control, QUIT, 1);
    Atomics.add(this.base.control, GEN, 1);
    Atomics.notify(this.base.control, GEN);
    for (const port of this.ports) port.close();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
