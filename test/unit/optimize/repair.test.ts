import { buildCoupling } from "../../../src/optimize/coupling";
import { violations } from "../../../src/optimize/evaluate";
import type { Instance } from "../../../src/optimize/instance";
import { EXPECTED_RETURN } from "../../../src/optimize/lagrangian";
import { PlanState } from "../../../src/optimize/plan-state";
import { polish } from "../../../src/optimize/polish";
import { repair } from "../../../src/optimize/repair";
import { bruteForce, unconstrained } from "./helpers";

// Four customers, one offer through mail (return 5, cost 1) or branch (return 10, cost 4).
// A1, A2 are in segment A, B1, B2 in segment B. Everyone must be contacted (offer minimum 4), the
// branch takes two, and half of segment A's contacts must go through the branch.
const inst: Instance = {
  numCustomers: 4,
  offerIds: ["o"],
  channelIds: ["mail", "branch"],
  segments: ["A", "B"],
  customerSegment: Int32Array.from([0, 0, 1, 1]),
  customerKey: Int32Array.from([1, 2, 3, 4]),
  custStart: Int32Array.from([0, 2, 4, 6, 8]),
  optOffer: new Int32Array(8),
  optChannel: Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]),
  optReturn: Float64Array.from([5, 10, 5, 10, 5, 11, 5, 11]),
  optCost: Float64Array.from([1, 4, 1, 4, 1, 4, 1, 4]),
};
const cons = unconstrained(inst, 1);
cons.offerMin = Float64Array.from([4]);
cons.channelCapacity = Float64Array.from([Infinity, 2]);
cons.segmentRules = [
  { name: "segment:A/channel:branch", segment: 0, offer: -1, channel: 1, max: null, minShare: 0.5 },
];

describe("repair", () => {
  test("needs an exchange across customers when no single move helps", () => {
    // the greedy start: B on the branch, A by mail — A's share is 0
    const start = Uint8Array.from([1, 0, 1, 0, 0, 1, 0, 1]);
    expect(violations(inst, cons, start).map((v) => v.name)).toEqual(["segment:A/channel:branch"]);
    const cp = buildCoupling(inst, cons);
    const state = new PlanState(inst, cp, Uint8Array.from(start));
    const out = repair(state, { weights: EXPECTED_RETURN });
    expect(out.feasible).toBe(true);
    expect(violations(inst, cons, state.selected)).toEqual([]);
    // one A customer moved to the branch, one B customer moved to mail: 5+10+5+11 = 31
    expect(state.totalR).toBe(31);
    expect(bruteForce(inst, cons).value).toBe(31);
  });

  test("polish never breaks a constraint and never lowers the objective", () => {
    const cp = buildCoupling(inst, cons);
    // feasible but poor: A1 on the branch, everyone else by mail
    const state = new PlanState(inst, cp, Uint8Array.from([0, 1, 1, 0, 1, 0, 1, 0]));
    expect(violations(inst, cons, state.selected)).toEqual([]);
    const before = state.totalR;
    polish(state, { weights: EXPECTED_RETURN, lambda: new Float64Array(cp.m) });
    expect(violations(inst, cons, state.selected)).toEqual([]);
    expect(state.totalR).toBeGreaterThanOrEqual(before);
    expect(state.totalR).toBe(31); // B2 to the branch fills it
  });
});
