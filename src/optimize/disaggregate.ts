// From cluster proportions to individual customers.
//
// Targets: the LP's y[g,o,k] rounded per cluster (floor, then the largest remainders until the
// cluster's total is the rounded LP total). Then, within each cluster:
//  - GREEDY: all (member, option) pairs whose (o,k) has a target, in descending order of the
//    member's own reduced value at the LP's prices, each taken if its target is not yet met,
//    the member has a free slot and does not hold the offer yet.
//  - RANDOM: the same fill in a seeded random order (the paper's "randomly select members").
//  - ASSIGNMENT: the greedy fill, then pairwise exchange improvement of the transportation
//    problem inside each cluster: for every pair of targets A, B (including "no contact"), the
//    member in A who gains most by moving to B is swapped with the member in B who gains most by
//    moving to A, while the two gains sum to more than zero; rounds repeat until no pair
//    improves. This is a local optimum of the transportation problem (all 2-exchanges
//    non-improving), not a certified optimum: longer exchange cycles are not searched.
// The targets keep their counts throughout, so the plan realises the LP's proportions wherever
// enough eligible members exist.

import type { Coupling } from "./coupling";
import type { Instance } from "./instance";
import type { ClusterLpResult } from "./cluster-lp";
import type { PriceTable } from "./lagrangian";
import { Rng } from "./rng";
import { argsortDesc } from "./sort";
import type { Disaggregation } from "./types";
import { NEVER, type StopCheck } from "./stop";

export interface DisaggregateInput {
  inst: Instance;
  cp: Coupling;
  membership: Int32Array;
  k: number;
  lp: ClusterLpResult;
  /** prices giving each member's own value of an option */
  prices: PriceTable;
  method: Disaggregation;
  seed: number;
  stop?: StopCheck;
}

export function roundTargets(
  lp: ClusterLpResult,
  k: number,
  O: number,
  K: number,
  stop: StopCheck = NEVER,
): Int32Array {
  const targets = new Int32Array(k * O * K);
  const frac = new Float64Array(k * O * K).fill(-1);
  const clusterTotal = new Float64Array(k);
  const cols = lp.lp;
  for (let c = 0; c < cols.model.numCols; c++) {
    const y = Math.max(0, lp.y[c]);
    const idx = (cols.colCluster[c] * O + cols.colOffer[c]) * K + cols.colChannel[c];
    const f = Math.floor(y + 1e-7);
    targets[idx] = f;
    frac[idx] = y - f;
    clusterTotal[cols.colCluster[c]] += y;
  }
  // per cluster, hand out the remaining units by largest remainder
  const byCluster: number[][] = Array.from({ length: k }, () => []);
  for (let idx = 0; idx < frac.length; idx++)
    if (frac[idx] > 1e-7) byCluster[Math.floor(idx / (O * K))].push(idx);
  for (let g = 0; g < k; g++) {
    stop.every(g);
    let have = 0;
    for (let t = 0; t < O * K; t++) have += targets[g * O * K + t];
    const want = Math.round(clusterTotal[g] - 1e-7);
    const list = byCluster[g].sort((a, b) => frac[b] - frac[a] || a - b);
    for (let t = 0; t < list.length && have < want; t++, have++) targets[list[t]]++;
  }
  return targets;
}

export function disaggregate(input: DisaggregateInput): Uint8Array {
  const { inst, cp, membership, k, lp, prices, method, seed } = input;
  const stop = input.stop ?? NEVER;
  const O = cp.numOffers;
  const K = cp.numChannels;
  const M = cp.maxOffersPerCustomer;
  stop.poll();
  const targets = roundTargets(lp, k, O, K, stop);
  stop.poll();
  const nOpt = inst.optOffer.length;
  const members = membersByCluster(membership, k, stop);
  stop.poll();
  const selected = new Uint8Array(nOpt);
  const count = new Uint8Array(inst.numCustomers);
  const rng = new Rng(seed);
  const { alpha, beta, phi, adj } = prices;
  const r = inst.optReturn;
  const c = inst.optCost;
  const grp = cp.optGroup;
  const offer = inst.optOffer;
  const channel = inst.optChannel;
  // one cluster at a time keeps the candidate arrays small and the option reads local
  let widest = 0;
  for (let g = 0; g < k; g++) {
    stop.every(g);
    let n = 0;
    for (let u = members.start[g]; u < members.start[g + 1]; u++) {
      const i = members.list[u];
      n += inst.custStart[i + 1] - inst.custStart[i];
    }
    widest = Math.max(widest, n);
  }
  const cand = new Int32Array(widest);
  const key = new Float64Array(widest);
  const candOwner = new Int32Array(widest);
  // offers each customer holds, as a bit mask when there are few offers (a scan otherwise)
  const held = O <= 31 ? new Int32Array(inst.numCustomers) : null;
  for (let g = 0; g < k; g++) {
    let nc = 0;
    const tBase = g * O * K;
    stop.poll();
    for (let u = members.start[g]; u < members.start[g + 1]; u++) {
      stop.every(u);
      const i = members.list[u];
      for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
        if (targets[tBase + offer[p] * K + channel[p]] <= 0) continue;
        cand[nc] = p;
        candOwner[nc] = i;
        key[nc++] =
          method === "RANDOM"
            ? rng.float()
            : alpha * r[p] + beta * c[p] - phi[grp[p]] - (adj === null ? 0 : adj[p]);
      }
    }
    if (nc === 0) continue;
    const order = argsortDesc(key, nc);
    for (let t = 0; t < nc; t++) {
      stop.every(t);
      const p = cand[order[t]];
      const i = candOwner[order[t]];
      if (count[i] >= M) continue;
      const idx = tBase + offer[p] * K + channel[p];
      if (targets[idx] <= 0) continue;
      if (held !== null ? (held[i] >>> offer[p]) & 1 : holdsOffer(inst, selected, i, offer[p]))
        continue;
      if (held !== null) held[i] |= 1 << offer[p];
      selected[p] = 1;
      count[i]++;
      targets[idx]--;
    }
  }
  if (method === "ASSIGNMENT") improveByExchange(input, members, selected, count);
  return selected;
}

interface Members {
  start: Int32Array;
  list: Int32Array;
}

function membersByCluster(membership: Int32Array, k: number, stop: StopCheck = NEVER): Members {
  const start = new Int32Array(k + 1);
  for (let i = 0; i < membership.length; i++) {
    stop.every(i);
    if (membership[i] >= 0) start[membership[i] + 1]++;
  }
  for (let g = 0; g < k; g++) start[g + 1] += start[g];
  const list = new Int32Array(start[k]);
  const at = start.slice(0, k);
  for (let i = 0; i < membership.length; i++) {
    stop.every(i);
    if (membership[i] >= 0) list[at[membership[i]]++] = i;
  }
  return { start, list };
}

function holdsOffer(inst: Instance, selected: Uint8Array, i: number, o: number): boolean {
  for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
    if (selected[p] && inst.optOffer[p] === o) return true;
  }
  return false;
}

/**
 * Pairwise exchanges inside each cluster. A "unit" is one held option of a member, or the free
 * slot of a member with fewer than M contacts (target "none", index T). For targets A ≠ B the
 * best mover A→B is the unit of A whose member gains most by holding B instead.
 */
function improveByExchange(
  input: DisaggregateInput,
  byCluster: Members,
  selected: Uint8Array,
  count: Uint8Array,
): void {
  const { inst, cp, k, prices } = input;
  const stop = input.stop ?? NEVER;
  const O = cp.numOffers;
  const K = cp.numChannels;
  const T = O * K; // target index o·K + k; T = "no contact"
  const M = cp.maxOffersPerCustomer;
  const { alpha, beta, phi, adj } = prices;
  const r = inst.optReturn;
  const c = inst.optCost;
  const grp = cp.optGroup;
  const { start, list: members } = byCluster;
  const heldBy = new Int32Array(O).fill(-1);
  const heldOpt = new Int32Array(O);
  const cells = (T + 1) * (T + 1);
  const bestGain = new Float64Array(cells);
  const bestMember = new Int32Array(cells);
  const bestFrom = new Int32Array(cells);
  const bestTo = new Int32Array(cells);

  for (let g = 0; g < k; g++) {
    for (let round = 0; round < 10; round++) {
      bestGain.fill(-Infinity);
      bestMember.fill(-1);
      stop.poll();
      for (let u = start[g]; u < start[g + 1]; u++) {
        stop.every(u);
        const i = members[u];
        const s = inst.custStart[i];
        const e = inst.custStart[i + 1];
        for (let p = s; p < e; p++) {
          if (selected[p]) {
            heldBy[inst.optOffer[p]] = i;
            heldOpt[inst.optOffer[p]] = p;
          }
        }
        // units: each held option, plus "none" when a slot is free (p === e)
        for (let p = s; p <= e; p++) {
          const isNone = p === e;
          if (isNone ? count[i] >= M : !selected[p]) continue;
          const A = isNone ? T : inst.optOffer[p] * K + inst.optChannel[p];
          const vA = isNone
            ? 0
            : alpha * r[p] + beta * c[p] - phi[grp[p]] - (adj === null ? 0 : adj[p]);
          // to "none" (only from a held option)
          if (!isNone) consider(A, T, -vA, i, p, -1);
          for (let q = s; q < e; q++) {
            if (selected[q]) continue;
            const ob = inst.optOffer[q];
            if (heldBy[ob] === i && heldOpt[ob] !== p) continue; // offer held by another unit
            const B = ob * K + inst.optChannel[q];
            const vq = alpha * r[q] + beta * c[q] - phi[grp[q]] - (adj === null ? 0 : adj[q]);
            consider(A, B, vq - vA, i, isNone ? -1 : p, q);
          }
        }
      }
      let improved = false;
      for (let A = 0; A <= T; A++) {
        for (let B = A + 1; B <= T; B++) {
          const ab = A * (T + 1) + B;
          const ba = B * (T + 1) + A;
          const i = bestMember[ab];
          const j = bestMember[ba];
          if (i < 0 || j < 0 || i === j) continue;
          if (bestGain[ab] + bestGain[ba] <= 1e-12) continue;
          // both halves must still be valid (earlier swaps this round may have moved them)
          if (!valid(i, bestFrom[ab], bestTo[ab]) || !valid(j, bestFrom[ba], bestTo[ba])) continue;
          move(i, bestFrom[ab], bestTo[ab]);
          move(j, bestFrom[ba], bestTo[ba]);
          improved = true;
        }
      }
      if (!improved) break;
    }
  }

  function consider(A: number, B: number, gain: number, i: number, from: number, to: number) {
    const cell = A * (T + 1) + B;
    if (gain > bestGain[cell]) {
      bestGain[cell] = gain;
      bestMember[cell] = i;
      bestFrom[cell] = from;
      bestTo[cell] = to;
    }
  }

  function valid(i: number, from: number, to: number): boolean {
    if (from >= 0 ? !selected[from] : count[i] >= M) return false;
    if (to < 0) return true;
    if (selected[to]) return false;
    const ob = inst.optOffer[to];
    for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
      if (p !== from && selected[p] && inst.optOffer[p] === ob) return false;
    }
    return true;
  }

  function move(i: number, from: number, to: number): void {
    if (from >= 0) {
      selected[from] = 0;
      count[i]--;
    }
    if (to >= 0) {
      selected[to] = 1;
      count[i]++;
    }
  }
}
