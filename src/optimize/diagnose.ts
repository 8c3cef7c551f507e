// Why no plan exists, in the business's terms.
//
// Two layers:
//  1. Certain conflicts found by counting (each a necessary condition of feasibility): an offer
//     minimum above the customers eligible for it or above its maximum; the cheapest way to meet
//     all offer minimums costing more than the budget ("offer minimums need $412,000; budget is
//     $400,000"); minimums needing more contacts than all channels can carry.
//  2. An elastic LP (src/optimize/lp/elastic.ts): every coupling row may be violated at a price
//     per unit (1 / a typical contact's coefficient, so $ and contacts compare), and the least
//     violation says which bounds must move and by how much. On small instances the LP is the
//     exact relaxation over individual options; on large ones the cluster LP, an estimate.

import { buildClusterLp, aggregate } from "./cluster-lp";
import { clusterCustomers } from "./cluster";
import type { Coupling } from "./coupling";
import { minimumPlanCost } from "./exact";
import { buildIndividualLp } from "./individual-lp";
import type { Instance, PlanConstraints } from "./instance";
import { EXPECTED_RETURN } from "./lagrangian";
import { diagnoseInfeasibility } from "./lp/elastic";
import type { LpModel, LpSolver } from "./lp/types";

export interface Relaxation {
  name: string;
  kind: string;
  sense: "LE" | "GE";
  bound: number;
  /** signed change of the bound that makes the relaxation feasible */
  change: number;
  newBound: number;
}

export interface Diagnosis {
  /** what the elastic LP was built on */
  basis: "individual" | "cluster" | "none";
  /** the LP relaxation (or estimate) is feasible: the conflict is in rounding, not the bounds */
  relaxationFeasible: boolean;
  relaxations: Relaxation[];
  messages: string[];
  message: string;
}

export type OptimizeErrorCode = "INFEASIBLE" | "NO_PLAN_FOUND";

/** A plan cannot be produced; `diagnosis` explains why. */
export class OptimizeError extends Error {
  constructor(
    readonly code: OptimizeErrorCode,
    readonly diagnosis: Diagnosis,
  ) {
    super(diagnosis.message);
    this.name = "OptimizeError";
  }
}

const money = (x: number) => `$${Math.round(x).toLocaleString("en-US")}`;
const count = (x: number) => Math.round(x).toLocaleString("en-US");

/** Necessary conditions that can be checked by counting. */
export function countingConflicts(inst: Instance, cons: PlanConstraints): string[] {
  const out: string[] = [];
  const O = inst.offerIds.length;
  const eligible = new Float64Array(O);
  const stamp = new Int32Array(O).fill(-1);
  for (let i = 0; i < inst.numCustomers; i++) {
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      const o = inst.optOffer[p];
      if (stamp[o] !== i) {
        stamp[o] = i;
        eligible[o]++;
      }
    }
  }
  let minContacts = 0;
  for (let o = 0; o < O; o++) {
    const min = cons.offerMin[o];
    if (!(min > 0)) continue;
    minContacts += min;
    const id = inst.offerIds[o];
    if (min > eligible[o]) {
      out.push(
        `offer ${id} needs at least ${count(min)} customers; only ${count(eligible[o])} are eligible`,
      );
    }
    if (min > cons.offerMax[o]) {
      out.push(
        `offer ${id} has a minimum of ${count(min)} above its maximum of ${count(cons.offerMax[o])}`,
      );
    }
  }
  if (Number.isFinite(cons.budget) && minContacts > 0) {
    const need = minimumPlanCost(inst, cons);
    if (need > cons.budget * (1 + 1e-9)) {
      out.push(`offer minimums need ${money(need)}; budget is ${money(cons.budget)}`);
    }
  }
  let capacity = 0;
  for (let k = 0; k < inst.channelIds.length; k++) capacity += cons.channelCapacity[k];
  if (minContacts > capacity) {
    out.push(
      `offer minimums need ${count(minContacts)} contacts; channel capacities allow ${count(capacity)}`,
    );
  }
  const slots = inst.numCustomers * cons.maxOffersPerCustomer;
  if (minContacts > slots) {
    out.push(
      `offer minimums need ${count(minContacts)} contacts; customers can take only ${count(slots)}`,
    );
  }
  return out;
}

function describe(r: Relaxation): string {
  const up = r.change > 0;
  const amount = Math.abs(r.change);
  switch (r.kind) {
    case "budget":
      return `budget must rise by ${money(amount)} (to ${money(r.newBound)})`;
    case "hurdle":
      return `the hurdle cannot be met: the plan's return falls ${money(amount)} short of (1 + hurdle rate) × cost`;
    case "segment_min_share":
      return `${r.name}: the segment's share cannot be reached (short by ${count(amount)} contacts)`;
    default:
      return `${r.name} must ${up ? "rise" : "fall"} by ${count(amount)} (to ${count(r.newBound)})`;
  }
}

/** Individual LP up to this many options; beyond, a cluster LP estimate. */
const INDIVIDUAL_LIMIT = 200000;

export async function diagnose(
  inst: Instance,
  cp: Coupling,
  cons: PlanConstraints,
  solver: LpSolver,
  clusterModel?: LpModel,
  seed = 1,
): Promise<Diagnosis> {
  const messages = countingConflicts(inst, cons);
  let model: LpModel;
  let couplingRow: Int32Array;
  let basis: Diagnosis["basis"];
  if (inst.optOffer.length <= INDIVIDUAL_LIMIT) {
    const lp = buildIndividualLp(inst, cp, EXPECTED_RETURN);
    model = lp.model;
    couplingRow = lp.couplingRow;
    basis = "individual";
  } else {
    if (clusterModel === undefined) {
      const cl = clusterCustomers(inst, {
        k: 50,
        seed,
        withinSegments: cons.segmentRules.length > 0,
      });
      clusterModel = buildClusterLp(
        aggregate(inst, cp, cl.membership, cl.k),
        cp,
        EXPECTED_RETURN,
      ).model;
    }
    model = clusterModel;
    couplingRow = Int32Array.from({ length: cp.m }, (_, j) => j);
    basis = "cluster";
  }
  const relaxable = Array.from({ length: cp.m }, (_, j) => ({
    row: couplingRow[j],
    weight: 1 / cp.unit[j],
  }));
  const res = await diagnoseInfeasibility(model, relaxable, solver);
  const relaxations: Relaxation[] = [];
  if (res.status === "relaxed") {
    res.relaxations.forEach((r, j) => {
      if (r.change === 0) return;
      const row = cp.rows[j];
      relaxations.push({
        name: row.name,
        kind: row.kind,
        sense: row.sense,
        bound: row.rhs,
        change: r.change,
        newBound: r.newRhs,
      });
    });
  }
  const relaxationFeasible = res.status === "feasible";
  for (const r of relaxations) {
    const text = describe(r) + (basis === "cluster" ? " (estimated from clusters)" : "");
    messages.push(text);
  }
  if (relaxationFeasible && messages.length === 0) {
    messages.push(
      "the LP relaxation is feasible, but no plan of whole contacts satisfying every constraint was found",
    );
  }
  if (res.status === "infeasible" || res.status === "error") {
    messages.push(`the elastic LP could not be solved (${res.message ?? res.status})`);
  }
  return {
    basis,
    relaxationFeasible,
    relaxations,
    messages,
    message: `no feasible plan: ${messages.join("; ")}`,
  };
}
