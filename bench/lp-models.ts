// Seeded generator of cluster-LP-shaped models, shared by bench/lp.ts and the unit tests.
// Shape of the production LP: per cluster k, 11 offers × 3 channels columns x ∈ [0, 1] (the share
// of the cluster receiving that offer on that channel); rows: one "≤ 1" per cluster, the budget,
// 3 channel capacities, 11 offer minimums. Numbers are made up but sized so that budget,
// capacities and some minimums bind.

import type { LpModel, LpRow } from "../src/optimize/lp/types";

export const OFFERS = 11;
export const CHANNELS = 3;
const PER_CLUSTER = OFFERS * CHANNELS;

/** mulberry32: tiny, fast, good enough for test data; same seed → same model everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function clusterModel(clusters: number, seed = 1): LpModel {
  const rand = rng(seed);
  const channelCost = [0.05, 0.4, 6]; // email, sms, branch: per contact
  const offerValue = Array.from({ length: OFFERS }, () => 20 + 200 * rand());
  const size = Array.from({ length: clusters }, () => Math.round(50 + 2000 * rand()));
  const total = size.reduce((a, b) => a + b, 0);

  const n = clusters * PER_CLUSTER;
  const budgetRow = clusters;
  const capRow = budgetRow + 1;
  const minRow = capRow + CHANNELS;
  const objective = new Float64Array(n);
  const colStart = new Int32Array(n + 1);
  const rowIndex = new Int32Array(4 * n);
  const values = new Float64Array(4 * n);
  let nz = 0;
  for (let k = 0; k < clusters; k++) {
    for (let o = 0; o < OFFERS; o++) {
      for (let c = 0; c < CHANNELS; c++) {
        const j = k * PER_CLUSTER + o * CHANNELS + c;
        // response probability grows with channel "weight" and varies by cluster × offer
        const p = 0.002 + 0.04 * rand() * (1 + c);
        objective[j] = size[k] * p * offerValue[o];
        const entries: Array<[number, number]> = [
          [k, 1],
          [budgetRow, size[k] * channelCost[c]],
          [capRow + c, size[k]],
          [minRow + o, size[k]],
        ];
        for (const [i, a] of entries) {
          rowIndex[nz] = i;
          values[nz++] = a;
        }
        colStart[j + 1] = nz;
      }
    }
  }
  const rows: LpRow[] = [];
  for (let k = 0; k < clusters; k++) rows.push({ name: `cluster:${k}`, sense: "LE", rhs: 1 });
  rows.push({ name: "budget", sense: "LE", rhs: 0.3 * total });
  const capShare = [0.7, 0.3, 0.03];
  for (let c = 0; c < CHANNELS; c++) {
    rows.push({ name: `capacity:${c}`, sense: "LE", rhs: capShare[c] * total });
  }
  for (let o = 0; o < OFFERS; o++) {
    rows.push({ name: `offerMin:${o}`, sense: "GE", rhs: 0.03 * total });
  }
  return {
    sense: "max",
    numCols: n,
    objective,
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(1),
    rows,
    colStart,
    rowIndex,
    values,
  };
}
