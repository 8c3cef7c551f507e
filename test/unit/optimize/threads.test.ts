// Threads: the full Lagrangian passes on worker threads (pass-pool.ts) give the same numbers as
// one thread, so a plan is the same for any number of threads; a pool ends with its run.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { baselinePlan } from "../../../src/optimize/baseline";
import { buildCoupling } from "../../../src/optimize/coupling";
import type { Instance, PlanConstraints } from "../../../src/optimize/instance";
import { EXPECTED_RETURN, lagrangianPass, PassScratch } from "../../../src/optimize/lagrangian";
import { searchPrices } from "../../../src/optimize/exact";
import { optimize, OptimizeError, OptimizeStoppedError } from "../../../src/optimize/optimize";
import { PassPool } from "../../../src/optimize/pass-pool";
import { compilePolicies } from "../../../src/optimize/policies";
import type { Policy } from "../../../src/optimize/policy-types";
import { NEVER } from "../../../src/optimize/stop";
import type { PlanResult } from "../../../src/optimize/types";
import { randomInstance, tightConstraints } from "./helpers";

/** Everything of a result that must not depend on the threads, as one comparable value. */
function fingerprint(r: PlanResult) {
  return {
    selected: Buffer.from(r.selected).toString("base64"),
    value: r.value,
    upperBound: r.upperBound,
    duals: r.constraintReport.map((row) => [row.name, row.dual, row.activity]),
    membership: r.membership ? Buffer.from(r.membership.buffer).toString("base64") : null,
    kpis: r.kpis,
  };
}

// 5 blocks of 4,096 customers, the last one partial
const inst = randomInstance(5, { customers: 18000, offers: 4, channels: 3, segments: 3 });
const ALL = {
  budget: true,
  capacity: true,
  minimums: true,
  maximums: true,
  hurdle: true,
  segmentRules: true,
};

/** One policy of the kinds whose rules the passes apply per customer or per household. */
function policies(instance: Instance): Policy[] {
  const n = instance.numCustomers;
  return [
    {
      kind: "fatigue",
      name: "fatigue:call",
      reportOnly: false,
      limit: 1,
      windowDays: 30,
      filter: { offers: null, channels: Uint8Array.from([0, 0, 1]) },
      prior: Uint16Array.from({ length: n }, (_, i) => i % 3),
    },
    {
      kind: "household",
      name: "household:2",
      reportOnly: false,
      limit: 2,
      household: Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -1 : i >> 2)),
    },
    {
      kind: "custom_capacity",
      name: "custom:risk",
      reportOnly: false,
      aggregate: "SUM",
      max: n / 20,
      min: null,
      filter: { offers: Uint8Array.from([1, 0, 1, 0]), channels: null },
      customerValue: Float64Array.from({ length: n }, (_, i) => (i % 7) / 7),
      field: null,
    },
  ];
}

describe("a pass on worker threads", () => {
  test.each([1, 2, 3])(
    "gives the one-thread pass bit for bit (M = %i, with every per-customer rule)",
    async (M) => {
      const cons: PlanConstraints = {
        ...tightConstraints(inst, 9, { ...ALL, M }),
        policies: policies(inst),
      };
      const compiled = compilePolicies(inst, cons);
      const cp = buildCoupling(compiled.inst, cons, compiled);
      // a fatigue limit of 1 only restricts a customer who may take more than one offer
      expect(cp.local?.classes.length).toBe(M > 1 ? 1 : 0);
      expect(cp.local?.households.length).toBe(1);
      expect(cp.extraRow.length).toBe(1);
      const pool = new PassPool(compiled.inst, cp, 3);
      try {
        const withPool = new PassScratch(compiled.inst);
        withPool.runner = pool;
        for (const scale of [0, 0.05, 0.3]) {
          const lambda = Float64Array.from({ length: cp.m }, (_, j) => scale * (1 + (j % 4)));
          const run = (scratch: PassScratch) => {
            const selected = new Uint8Array(compiled.inst.optOffer.length);
            const margins = new Float64Array(compiled.inst.numCustomers);
            const res = lagrangianPass(
              compiled.inst,
              cp,
              lambda,
              EXPECTED_RETURN,
              { selected, margins },
              scratch,
            );
            return { res, selected, margins };
          };
          const one = run(new PassScratch(compiled.inst));
          const many = run(withPool);
          expect(one.res.contacts).toBeGreaterThan(0);
          expect(many.res).toEqual(one.res);
          expect(Buffer.from(many.selected).equals(Buffer.from(one.selected))).toBe(true);
          expect(Buffer.from(many.margins.buffer).equals(Buffer.from(one.margins.buffer))).toBe(
            true,
          );
        }
      } finally {
        await pool.close();
      }
    },
  );
});

describe("a price search on worker threads", () => {
  test("passes over its samples and all customers as one thread does", async () => {
    const cons: PlanConstraints = {
      ...tightConstraints(inst, 13, { ...ALL, M: 2 }),
      policies: policies(inst),
    };
    const compiled = compilePolicies(inst, cons);
    const cp = buildCoupling(compiled.inst, cons, compiled);
    const pool = new PassPool(compiled.inst, cp, 2);
    try {
      const search = (scratch: PassScratch) =>
        searchPrices(compiled.inst, cp, EXPECTED_RETURN, {
          start: new Float64Array(cp.m),
          fullPasses: 6,
          samplePasses: 10,
          largeSamplePasses: 5,
          // a sample of 1,000 and one of 4,000 customers before the full passes
          sampleSize: 1000,
          seed: 3,
          scratch,
        });
      const one = search(new PassScratch(compiled.inst));
      const withPool = new PassScratch(compiled.inst);
      withPool.runner = pool;
      const views = jest.spyOn(pool, "view");
      const two = search(withPool);
      expect(views).toHaveBeenCalledTimes(2);
      expect(one.samplePasses).toBe(15);
      expect(two.lambda).toEqual(one.lambda);
      expect(two.value).toBe(one.value);
      expect(two.best).toEqual(one.best);
      expect([two.passes, two.samplePasses]).toEqual([one.passes, one.samplePasses]);
    } finally {
      await pool.close();
    }
  });
});

describe("the ad-hoc plan's scan on worker threads", () => {
  test.each([1, 2])("gives the one-thread plan (M = %i, offer minimums)", async (M) => {
    const cons = tightConstraints(inst, 5, { ...ALL, M });
    expect(cons.offerMin.some((m) => m > 0)).toBe(true);
    const cp = buildCoupling(inst, cons);
    const one = baselinePlan(inst, cp, cons.offerMin, NEVER, null);
    const pool = new PassPool(inst, cp, 2);
    const scan = jest.spyOn(pool, "scan");
    try {
      const two = baselinePlan(inst, cp, cons.offerMin, NEVER, pool);
      expect(scan).toHaveBeenCalledTimes(1);
      expect(one.selected.some((x) => x === 1)).toBe(true);
      expect(two.feasible).toBe(one.feasible);
      expect(Buffer.from(two.selected).equals(Buffer.from(one.selected))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  test("optimize: threads 1 and 2 report the same baseline", async () => {
    const cons = tightConstraints(inst, 7, { ...ALL, M: 2 });
    const scan = jest.spyOn(PassPool.prototype, "scan");
    try {
      const one = await optimize(inst, cons, { method: "EXACT", seed: 3, threads: 1 });
      expect(scan).not.toHaveBeenCalled();
      const two = await optimize(inst, cons, { method: "EXACT", seed: 3, threads: 2 });
      expect(scan).toHaveBeenCalledTimes(1);
      expect(one.baseline).not.toBeNull();
      expect(two.baseline).toEqual(one.baseline);
      expect(fingerprint(two)).toEqual(fingerprint(one));
    } finally {
      scan.mockRestore();
    }
  });
});

describe("optimize with threads", () => {
  test.each([
    ["EXACT", [2, 3]],
    ["CLUSTER_LP", [2]],
  ] as const)(
    "%s: threads 1 and %p give the same plan, objective, bound and duals",
    async (method, others) => {
      const cons = tightConstraints(inst, 3, { ...ALL, M: 2 });
      const run = (threads: number) =>
        optimize(inst, cons, { method, seed: 4, clusters: 20, threads });
      const one = await run(1);
      expect(one.effective.threads).toBe(1);
      for (const threads of others) {
        const many = await run(threads);
        expect(many.effective.threads).toBe(threads);
        expect(fingerprint(many)).toEqual(fingerprint(one));
      }
    },
  );

  test("EXACT with contact policies: threads 1 and 2 give the same plan", async () => {
    const cons: PlanConstraints = {
      ...tightConstraints(inst, 11, { budget: true, capacity: true, M: 2 }),
      policies: policies(inst),
    };
    const one = await optimize(inst, cons, { method: "EXACT", seed: 2, threads: 1 });
    const two = await optimize(inst, cons, { method: "EXACT", seed: 2, threads: 2 });
    expect(fingerprint(two)).toEqual(fingerprint(one));
  });

  test.each([0, -1, 1.5, 65, 10000, Number.NaN])(
    "threads %p is refused before any work",
    async (threads) => {
      const cons = tightConstraints(inst, 3, { budget: true, M: 1 });
      const create = jest.spyOn(PassPool.prototype, "run");
      await expect(optimize(inst, cons, { method: "EXACT", threads })).rejects.toThrow(
        `invalid optimisation input: threads must be a whole number from 1 to 64, got ${threads}`,
      );
      expect(create).not.toHaveBeenCalled();
      create.mockRestore();
    },
  );

  describe("the pool ends with the run", () => {
    let close: jest.SpyInstance;
    beforeEach(() => {
      close = jest.spyOn(PassPool.prototype, "close");
    });
    afterEach(() => close.mockRestore());

    test("after a plan", async () => {
      const cons = tightConstraints(inst, 3, { budget: true, M: 1 });
      await optimize(inst, cons, { method: "EXACT", threads: 2 });
      expect(close).toHaveBeenCalledTimes(1);
    });

    test("after a cancellation", async () => {
      const cons = tightConstraints(inst, 3, { budget: true, M: 1 });
      let polls = 0;
      const run = optimize(inst, cons, {
        method: "EXACT",
        threads: 2,
        shouldStop: () => ++polls > 50,
      });
      await expect(run).rejects.toBeInstanceOf(OptimizeStoppedError);
      expect(close).toHaveBeenCalledTimes(1);
    });

    test("after a failure", async () => {
      const small = randomInstance(6, { customers: 300, offers: 3, channels: 2 });
      const cons = tightConstraints(small, 3, { budget: true, M: 1 });
      cons.offerMin = Float64Array.from(cons.offerMin, () => 1e9);
      await expect(optimize(small, cons, { method: "EXACT", threads: 2 })).rejects.toBeInstanceOf(
        OptimizeError,
      );
      expect(close).toHaveBeenCalledTimes(1);
    });
  });
});

describe("compiled to JavaScript", () => {
  const run = promisify(execFile);
  let dir = "";
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("the pool starts its workers from the .js files beside it, without tsx", async () => {
    // what `npm run build` puts in dist/optimize, without type-checking the whole project
    dir = mkdtempSync(path.join(tmpdir(), "offerplan-threads-"));
    const src = path.join(__dirname, "..", "..", "..", "src", "optimize");
    // the core's subfolders (lp/, rules/) too: pass-pool reaches them through its imports
    const files = readdirSync(src, { recursive: true, encoding: "utf8" });
    for (const f of files.filter((x) => x.endsWith(".ts"))) {
      const out = ts.transpileModule(readFileSync(path.join(src, f), "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f.replace(/\.ts$/, ".js")), out.outputText);
    }
    const script = `
      const { buildCoupling } = require("./coupling.js");
      const { lagrangianPass, PassScratch } = require("./lagrangian.js");
      const { PassPool } = require("./pass-pool.js");
      const n = 10000, custStart = [0], off = [], ch = [], r = [], c = [];
      let x = 7;
      const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let i = 0; i < n; i++) {
        for (let o = 0; o < 3; o++) { off.push(o); ch.push(i % 2); r.push(rnd() * 10); c.push(1 + rnd()); }
        custStart.push(off.length);
      }
      const inst = { numCustomers: n, offerIds: ["a", "b", "c"], channelIds: ["x", "y"], segments: [],
        customerSegment: new Int32Array(n).fill(-1), customerKey: new Int32Array(n),
        custStart: Int32Array.from(custStart), optOffer: Int32Array.from(off), optChannel: Int32Array.from(ch),
        optReturn: Float64Array.from(r), optCost: Float64Array.from(c) };
      const cons = { objective: "EXPECTED_RETURN", budget: 5000, hurdleRate: null, maxOffersPerCustomer: 2,
        channelCapacity: Float64Array.from([3000, Infinity]), offerMin: new Float64Array(3),
        offerMax: new Float64Array(3).fill(Infinity), segmentRules: [] };
      const cp = buildCoupling(inst, cons);
      const lambda = Float64Array.from([2, 1.5]);
      const w = { wr: 1, wc: 0 };
      const one = lagrangianPass(inst, cp, lambda, w);
      const pool = new PassPool(inst, cp, 2);
      const scratch = new PassScratch(inst);
      scratch.runner = pool;
      const two = lagrangianPass(inst, cp, lambda, w, {}, scratch);
      pool.close().then(() => process.stdout.write(JSON.stringify({ one: one.value, two: two.value,
        contacts: two.contacts, same: JSON.stringify(one) === JSON.stringify(two), threads: pool.threads })));
    `;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: dir });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.same).toBe(true);
    expect(out.threads).toBe(2);
    expect(out.contacts).toBeGreaterThan(0);
    expect(out.two).toBe(out.one);
  }, 30_000);
});
