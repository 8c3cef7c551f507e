// Stopping a run part-way (OptimizeOptions.shouldStop): every method stops where it is asked to,
// the polls sit inside the per-customer loops (their number grows with the customers), and a
// shouldStop that never says yes changes nothing.
import { expandCalendar, type Wave } from "../../../src/optimize/calendar";
import type { Instance, PlanConstraints } from "../../../src/optimize/instance";
import { optimize, OptimizeStoppedError } from "../../../src/optimize/optimize";
import type { Policy } from "../../../src/optimize/policy-types";
import { POLL_EVERY_CUSTOMERS_MASK } from "../../../src/optimize/stop";
import type { Method, OptimizeOptions, PlanResult } from "../../../src/optimize/types";
import { randomInstance, tightConstraints } from "./helpers";

interface Case {
  name: string;
  method: Method;
  disaggregation?: OptimizeOptions["disaggregation"];
  setup: (customers: number) => { inst: Instance; cons: PlanConstraints };
}

function plain(customers: number, minimums = true) {
  const inst = randomInstance(11, { customers, offers: 4, channels: 3, segments: 2 });
  const cons = tightConstraints(inst, 11, {
    M: 2,
    budget: true,
    capacity: true,
    minimums,
    segmentRules: true,
  });
  return { inst, cons };
}

function withPolicies(customers: number) {
  // no offer minimums: the fatigue rule leaves too few customers for the hidden plan's
  const { inst, cons } = plain(customers, false);
  const policies: Policy[] = [
    {
      kind: "fatigue",
      name: "fatigue:30d",
      reportOnly: false,
      limit: 1,
      windowDays: 30,
      filter: { offers: null, channels: null },
      prior: Uint16Array.from({ length: customers }, (_, i) => i % 2),
    },
  ];
  return { inst, cons: { ...cons, policies } };
}

function calendar(customers: number) {
  const { inst, cons } = plain(customers);
  const wave = (name: string, offsetDays: number): Wave => ({
    name,
    offsetDays,
    budget: cons.budget / 2,
    channelCapacity: new Float64Array(inst.channelIds.length).fill(Infinity),
    policies: [],
  });
  const cal = expandCalendar(inst, cons, [wave("w1", 0), wave("w2", 30)]);
  return { inst: cal.inst, cons: cal.cons };
}

const CASES: Case[] = [
  { name: "GREEDY", method: "GREEDY", setup: plain },
  { name: "CLUSTER_LP", method: "CLUSTER_LP", setup: plain },
  {
    name: "CLUSTER_LP/ASSIGNMENT",
    method: "CLUSTER_LP",
    disaggregation: "ASSIGNMENT",
    setup: plain,
  },
  { name: "EXACT", method: "EXACT", setup: plain },
  { name: "EXACT with policies", method: "EXACT", setup: withPolicies },
  { name: "CLUSTER_LP with policies", method: "CLUSTER_LP", setup: withPolicies },
  { name: "EXACT, two waves", method: "EXACT", setup: calendar },
  { name: "CLUSTER_LP, two waves", method: "CLUSTER_LP", setup: calendar },
];

function options(c: Case, shouldStop?: () => boolean): OptimizeOptions {
  return { method: c.method, disaggregation: c.disaggregation, clusters: 12, seed: 3, shouldStop };
}

/** The polls of one whole run (a shouldStop that counts and never stops). */
async function countPolls(c: Case, inst: Instance, cons: PlanConstraints): Promise<number> {
  let polls = 0;
  await optimize(
    inst,
    cons,
    options(c, () => (polls++, false)),
  );
  return polls;
}

function samePlan(a: PlanResult, b: PlanResult): void {
  expect(Buffer.from(b.selected).equals(Buffer.from(a.selected))).toBe(true);
  expect(b.value).toBe(a.value);
  expect(b.upperBound).toBe(a.upperBound);
  expect(b.constraintReport).toEqual(a.constraintReport);
  if (a.membership) expect(Array.from(b.membership!)).toEqual(Array.from(a.membership));
}

describe("shouldStop", () => {
  const SMALL = 2000;
  // several times POLL_EVERY_CUSTOMERS_MASK + 1 customers, so each per-customer loop polls often
  const LARGE = 6 * (POLL_EVERY_CUSTOMERS_MASK + 1);

  test.each(CASES)("$name stops with OptimizeStoppedError where it is asked to", async (c) => {
    const { inst, cons } = c.setup(SMALL);
    const total = await countPolls(c, inst, cons);
    expect(total).toBeGreaterThan(10);
    // the first poll, and one in the middle of the run
    for (const k of [1, Math.ceil(total / 2)]) {
      let polls = 0;
      const run = optimize(
        inst,
        cons,
        options(c, () => ++polls >= k),
      );
      await expect(run).rejects.toBeInstanceOf(OptimizeStoppedError);
      expect(polls).toBe(k);
    }
  });

  // (ASSIGNMENT adds polls per cluster and exchange round, as many at any size: left out)
  const growing = CASES.filter((c) => c.disaggregation !== "ASSIGNMENT");
  test.each(growing)("$name polls more often on more customers", async (c) => {
    const small = c.setup(SMALL);
    const large = c.setup(LARGE);
    const few = await countPolls(c, small.inst, small.cons);
    const many = await countPolls(c, large.inst, large.cons);
    // 2,000 customers fit in one stretch of every per-customer loop, 24,576 take six; every method
    // runs at least two such loops (the baseline's KPIs or its passes, and the evaluation), so
    // polls inside the loops add at least twelve. Polls only between phases, passes or rounds
    // would not grow with the customers.
    const stretches = LARGE / (POLL_EVERY_CUSTOMERS_MASK + 1);
    expect(many - few).toBeGreaterThanOrEqual(2 * stretches);
  });

  test.each(CASES)("$name: a shouldStop that never stops gives the same plan", async (c) => {
    const { inst, cons } = c.setup(SMALL);
    const without = await optimize(inst, cons, options(c));
    const never = await optimize(
      inst,
      cons,
      options(c, () => false),
    );
    samePlan(without, never);
  });

  test("the calendar expansion polls per customer and stops", () => {
    const { inst, cons } = plain(LARGE);
    const wave = (name: string, offsetDays: number): Wave => ({
      name,
      offsetDays,
      budget: Infinity,
      channelCapacity: new Float64Array(inst.channelIds.length).fill(Infinity),
      policies: [],
    });
    const waves = [wave("w1", 0), wave("w2", 30)];
    let polls = 0;
    expandCalendar(inst, cons, waves, () => (polls++, false));
    expect(polls).toBe(Math.ceil(LARGE / (POLL_EVERY_CUSTOMERS_MASK + 1)));
    let asked = 0;
    expect(() => expandCalendar(inst, cons, waves, () => ++asked >= 3)).toThrow(
      OptimizeStoppedError,
    );
  });
});
