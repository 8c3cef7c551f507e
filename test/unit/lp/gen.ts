// Seeded LP generators for the cross-checks: random feasible bounded LPs (often degenerate), and
// "planted" LPs built around a chosen optimal basis so that x*, y* and the objective are known in
// advance and unique (primal and dual non-degenerate by construction).

import { rng } from "../../../bench/lp-models";
import { buildModel } from "../../../src/optimize/lp/build";
import type { RowSpec } from "../../../src/optimize/lp/build";
import type { LpModel, RowSense } from "../../../src/optimize/lp/types";

const uniform = (rand: () => number, lo: number, hi: number) => lo + (hi - lo) * rand();
const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/**
 * Feasible (rhs built around a point x0 inside the bounds) and bounded (every column that can
 * run to infinity has an objective coefficient pulling it back towards its finite bound).
 * Zero-slack rows and duplicated rows are deliberately common, so many instances are degenerate.
 */
export function randomLp(seed: number): LpModel {
  const rand = rng(seed);
  const sense = rand() < 0.5 ? "max" : "min";
  const s = sense === "max" ? 1 : -1;
  const n = 2 + Math.floor(rand() * 11);
  const m = 2 + Math.floor(rand() * 7);
  const lower: number[] = [];
  const upper: number[] = [];
  const objective: number[] = [];
  const x0: number[] = [];
  for (let j = 0; j < n; j++) {
    const kind = rand();
    const c = Math.round(uniform(rand, -10, 10) * 100) / 100;
    if (kind < 0.6) {
      lower.push(0);
      upper.push(Math.round(uniform(rand, 1, 10)));
      objective.push(c);
    } else if (kind < 0.75) {
      lower.push(-Math.round(uniform(rand, 1, 5)));
      upper.push(Math.round(uniform(rand, 1, 5)));
      objective.push(c);
    } else if (kind < 0.9) {
      lower.push(0);
      upper.push(Infinity);
      objective.push(-s * Math.abs(c)); // pulls back towards 0
    } else {
      lower.push(-Infinity);
      upper.push(Math.round(uniform(rand, -2, 5)));
      objective.push(s * Math.abs(c)); // pulls up towards the upper bound
    }
    const lo = Number.isFinite(lower[j]) ? lower[j] : upper[j] - 5;
    const hi = Number.isFinite(upper[j]) ? upper[j] : lower[j] + 5;
    x0.push(uniform(rand, lo, hi));
  }
  const rows: RowSpec[] = [];
  for (let i = 0; i < m; i++) {
    const coefs: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) {
      if (rand() < 0.6) coefs.push([j, Math.round(uniform(rand, -5, 5) * 10) / 10 || 1]);
    }
    if (coefs.length === 0) coefs.push([Math.floor(rand() * n), 1]);
    const ax = coefs.reduce((acc, [j, a]) => acc + a * x0[j], 0);
    const rowSense: RowSense = pick(rand, ["LE", "LE", "GE", "GE", "EQ"] as const);
    const slack = rand() < 0.3 ? 0 : uniform(rand, 0, 5);
    const rhs = rowSense === "LE" ? ax + slack : rowSense === "GE" ? ax - slack : ax;
    rows.push({ name: `r${i}`, sense: rowSense, rhs, coefs });
  }
  if (rand() < 0.4) {
    // a scaled copy of a row: when the row binds, its dual can be split between the two copies
    // in infinitely many ways, so the optimal dual is certainly not unique
    const orig = pick(rand, rows);
    const coefs = orig.coefs.map(([j, a]) => [j, 2 * a] as const);
    rows.push({ ...orig, name: `${orig.name}:copy`, rhs: 2 * orig.rhs, coefs });
  }
  return buildModel({ sense, objective, lower, upper, rows });
}

export interface Planted {
  model: LpModel;
  x: Float64Array;
  rowDual: Float64Array;
  objective: number;
  binding: boolean[];
}

/**
 * An LP whose unique optimum is planted: `basic` columns strictly inside their bounds, the rest
 * at a bound with a strictly signed reduced cost; binding rows with non-zero duals, the other rows
 * with strict slack and dual 0. A dense random basis matrix is nonsingular almost surely.
 */
export function plantedLp(seed: number): Planted {
  const rand = rng(seed * 7919 + 13);
  const sense = rand() < 0.5 ? "max" : "min";
  const s = sense === "max" ? 1 : -1;
  const n = 3 + Math.floor(rand() * 8);
  const m = 2 + Math.floor(rand() * Math.min(6, n - 1));
  const nonBinding = Math.floor(rand() * Math.min(2, m - 1));
  const bindingCount = m - nonBinding;
  const A: number[][] = Array.from({ length: m }, () =>
    Array.from({ length: n }, () => {
      const v = uniform(rand, 0.5, 3);
      return rand() < 0.5 ? -v : v;
    }),
  );
  // the first `bindingCount` columns are basic, one per binding row
  const lower: number[] = [];
  const upper: number[] = [];
  const x: number[] = [];
  const d: number[] = []; // max-form reduced cost
  for (let j = 0; j < n; j++) {
    const free = j < bindingCount && rand() < 0.2;
    lower.push(free ? -Infinity : Math.round(uniform(rand, -3, 0)));
    upper.push(free ? Infinity : lower[j] + Math.round(uniform(rand, 2, 6)));
    if (j < bindingCount) {
      const lo = Number.isFinite(lower[j]) ? lower[j] : -3;
      const hi = Number.isFinite(upper[j]) ? upper[j] : 3;
      x.push(uniform(rand, lo + 0.25 * (hi - lo), hi - 0.25 * (hi - lo)));
      d.push(0);
    } else if (rand() < 0.5) {
      x.push(lower[j]);
      d.push(-uniform(rand, 0.5, 2));
    } else {
      x.push(upper[j]);
      d.push(uniform(rand, 0.5, 2));
    }
  }
  const senses: RowSense[] = [];
  const yMax: number[] = []; // max-form dual: >= 0 on LE, <= 0 on GE
  for (let i = 0; i < m; i++) {
    const binding = i < bindingCount;
    const rowSense: RowSense = binding
      ? pick(rand, ["LE", "GE", "EQ"] as const)
      : pick(rand, ["LE", "GE"] as const);
    senses.push(rowSense);
    const mag = binding ? uniform(rand, 0.5, 3) : 0;
    yMax.push(rowSense === "GE" ? -mag : rowSense === "LE" ? mag : rand() < 0.5 ? -mag : mag);
  }
  const objective = Array.from({ length: n }, (_, j) => {
    let cMax = d[j];
    for (let i = 0; i < m; i++) cMax += A[i][j] * yMax[i];
    return s * cMax;
  });
  const rows: RowSpec[] = A.map((row, i) => {
    const ax = row.reduce((acc, a, j) => acc + a * x[j], 0);
    const gap = i < bindingCount ? 0 : uniform(rand, 0.5, 2);
    const rhs = senses[i] === "LE" ? ax + gap : senses[i] === "GE" ? ax - gap : ax;
    return { name: `r${i}`, sense: senses[i], rhs, coefs: row.map((a, j) => [j, a] as const) };
  });
  const model = buildModel({ sense, objective, lower, upper, rows });
  return {
    model,
    x: Float64Array.from(x),
    rowDual: Float64Array.from(yMax, (y) => s * y + 0),
    objective: objective.reduce((acc, c, j) => acc + c * x[j], 0),
    binding: senses.map((_, i) => i < bindingCount),
  };
}
