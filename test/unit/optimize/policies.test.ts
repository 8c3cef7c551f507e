// Contact policies against brute force: every rule kind, every method, tiny random instances.
// The brute force enumerates every plan and judges it with evaluate.ts (whose policy rows are
// written from the definitions, policy-report.ts), sharing nothing with the compiled rules.
import { optimize, OptimizeError } from "../../../src/optimize/optimize";
import { violations, constraintReport } from "../../../src/optimize/evaluate";
import type { Instance } from "../../../src/optimize/instance";
import type { Policy } from "../../../src/optimize/policy-types";
import { Rng } from "../../../src/optimize/rng";
import type { Method, Disaggregation } from "../../../src/optimize/types";
import { bruteByEvaluate, randomInstance, unconstrained } from "./helpers";

const RUNS: Array<{ method: Method; disaggregation?: Disaggregation }> = [
  { method: "GREEDY" },
  { method: "EXACT" },
  { method: "CLUSTER_LP", disaggregation: "GREEDY" },
  { method: "CLUSTER_LP", disaggregation: "ASSIGNMENT" },
];

function randomPolicies(inst: Instance, rng: Rng, kinds: Policy["kind"][]): Policy[] {
  const n = inst.numCustomers;
  const O = inst.offerIds.length;
  const K = inst.channelIds.length;
  const out: Policy[] = [];
  for (const kind of kinds) {
    const reportOnly = rng.float() < 0.15;
    switch (kind) {
      case "fatigue": {
        const channels =
          rng.float() < 0.5
            ? null
            : Uint8Array.from({ length: K }, (_, k) => (k === rng.int(K) ? 1 : 0));
        out.push({
          kind,
          name: `fatigue:${out.length}`,
          reportOnly,
          limit: 1 + rng.int(2),
          windowDays: 30,
          filter: { offers: null, channels },
          prior: Uint16Array.from({ length: n }, () => rng.int(3)),
        });
        break;
      }
      case "cool_off": {
        const c: number[] = [];
        const o: number[] = [];
        for (let i = 0; i < n; i++) {
          if (rng.float() < 0.4) {
            c.push(i);
            o.push(rng.int(O));
          }
        }
        out.push({
          kind,
          name: `cool_off:${out.length}`,
          reportOnly,
          days: 60,
          blockedCustomer: Int32Array.from(c),
          blockedOffer: Int32Array.from(o),
        });
        break;
      }
      case "mutual_exclusion":
        out.push({ kind, name: `exclusion:${out.length}`, reportOnly, offers: [0, 1] });
        break;
      case "sequencing":
        out.push({
          kind,
          name: `sequencing:${out.length}`,
          reportOnly,
          offer: O - 1,
          after: 0,
          minDays: 30,
          qualified: Uint8Array.from({ length: n }, () => (rng.float() < 0.5 ? 1 : 0)),
        });
        break;
      case "household":
        out.push({
          kind,
          name: `household:${out.length}`,
          reportOnly,
          limit: 1 + rng.int(2),
          household: Int32Array.from({ length: n }, () => rng.int(3) - 1),
        });
        break;
      case "custom_capacity": {
        const values = Float64Array.from({ length: n }, () => Math.round(100 * rng.float()) / 100);
        const avg = rng.float() < 0.5;
        out.push({
          kind,
          name: `custom:${out.length}`,
          reportOnly,
          aggregate: avg ? "AVERAGE" : "SUM",
          max: avg ? 0.3 + 0.4 * rng.float() : 0.5 + 1.5 * rng.float(),
          min: null,
          filter: {
            offers: Uint8Array.from({ length: O }, (_, o) => (o % 2 === 0 ? 1 : 0)),
            channels: null,
          },
          customerValue: values,
          field: null,
        });
        break;
      }
    }
  }
  return out;
}

const KINDS: Policy["kind"][] = [
  "fatigue",
  "cool_off",
  "mutual_exclusion",
  "sequencing",
  "household",
  "custom_capacity",
];

describe("contact policies", () => {
  for (const kind of [...KINDS, "all" as const]) {
    it(`${kind}: every method honours it and stays within brute force (M = 1 and 2)`, async () => {
      let feasibleCases = 0;
      let exactOptimal = 0;
      let binds = 0;
      for (let seed = 1; seed <= 8; seed++) {
        const M = 1 + (seed % 2);
        const inst = randomInstance(seed * 31 + KINDS.indexOf(kind as Policy["kind"]), {
          customers: 5,
          offers: 3,
          channels: 2,
          density: 0.6,
          dnc: 0,
        });
        const rng = new Rng(seed);
        const cons = unconstrained(inst, M);
        cons.budget = 8 + 10 * rng.float();
        cons.policies = randomPolicies(inst, rng, kind === "all" ? KINDS : [kind]);
        const bestValue = bruteByEvaluate(inst, cons);
        const best = bestValue === null ? null : { value: bestValue };
        const free = bruteByEvaluate(inst, { ...cons, policies: [] });
        if (best === null || best.value < free! - 1e-9) binds++;
        for (const r of RUNS) {
          let res;
          try {
            res = await optimize(inst, cons, { ...r, clusters: 3, seed });
          } catch (e) {
            if (!(e instanceof OptimizeError)) throw e;
            // only the ad-hoc baseline may fail where a plan exists
            if (best !== null) expect(r.method).toBe("GREEDY");
            continue;
          }
          expect(best).not.toBeNull();
          expect(violations(inst, cons, res.selected)).toEqual([]);
          expect(res.value).toBeLessThanOrEqual(best!.value + 1e-6);
          if (res.upperBound !== undefined) {
            expect(res.upperBound).toBeGreaterThanOrEqual(best!.value - 1e-6);
          }
          if (r.method === "EXACT" && res.value >= best!.value - 1e-6) exactOptimal++;
          // every policy has its row; enforced ones carry a dual unless the method has no prices
          for (const pol of cons.policies) {
            const rows = res.constraintReport.filter((x) => x.name.startsWith(pol.name));
            expect(rows.length).toBeGreaterThan(0);
            for (const row of rows) {
              expect(row.kind).toBe(pol.kind);
              if (pol.reportOnly) {
                expect(row.reportOnly).toBe(true);
                expect(row.dual).toBeNull();
                expect(row.binding).toBe(false);
              } else if (r.method !== "GREEDY") {
                expect(row.dual).not.toBeNull();
                expect(row.sense === "LE" ? row.dual! : -row.dual!).toBeGreaterThanOrEqual(-1e-9);
              }
            }
          }
        }
        if (best !== null) feasibleCases++;
      }
      expect(feasibleCases).toBeGreaterThan(0);
      // the rules must matter in some cases, or this test proves nothing
      expect(binds).toBeGreaterThan(0);
      expect(exactOptimal).toBeGreaterThanOrEqual(Math.ceil(feasibleCases / 2));
    });
  }

  it("reports each rule's activity from its definition", () => {
    const inst = randomInstance(5, { customers: 4, offers: 2, channels: 1, density: 1, dnc: 0 });
    // every customer has options (o0, ch0), (o1, ch0) at indexes 2i, 2i + 1
    const cons = unconstrained(inst, 2);
    cons.policies = [
      {
        kind: "fatigue",
        name: "f",
        reportOnly: false,
        limit: 2,
        windowDays: 30,
        filter: { offers: null, channels: null },
        prior: Uint16Array.from([1, 0, 0, 0]),
      },
      {
        kind: "cool_off",
        name: "c",
        reportOnly: true,
        days: 30,
        blockedCustomer: Int32Array.from([1]),
        blockedOffer: Int32Array.from([1]),
      },
      { kind: "mutual_exclusion", name: "x", reportOnly: true, offers: [0, 1] },
      {
        kind: "household",
        name: "h",
        reportOnly: false,
        limit: 3,
        household: Int32Array.from([0, 0, 1, -1]),
      },
      {
        kind: "custom_capacity",
        name: "avg",
        reportOnly: false,
        aggregate: "AVERAGE",
        max: 0.45,
        min: 0.1,
        filter: { offers: null, channels: null },
        customerValue: Float64Array.from([0.2, 0.4, 0.9, 0]),
        field: null,
      },
    ];
    // customer 0: o0; customer 1: o0 + o1; customer 2: o1
    const sel = Uint8Array.from([1, 0, 1, 1, 0, 1, 0, 0]);
    const report = constraintReport(inst, cons, sel);
    const row = (name: string) => report.find((r) => r.name === name)!;
    expect(row("f").activity).toBe(2); // customer 0: 1 in history + 1; customer 1: 0 + 2
    expect(row("c").activity).toBe(1);
    expect(row("c").reportOnly).toBe(true);
    expect(row("x").activity).toBe(2);
    expect(row("h").activity).toBe(3);
    expect(row("avg:max").activity).toBeCloseTo((0.2 + 0.4 + 0.4 + 0.9) / 4, 12);
    expect(row("avg:min").activity).toBeCloseTo((0.2 + 0.4 + 0.4 + 0.9) / 4, 12);
    // report-only rows never count as violations; the average above 0.45 does
    expect(violations(inst, cons, sel).map((v) => v.name)).toEqual(["avg:max"]);
  });
});
