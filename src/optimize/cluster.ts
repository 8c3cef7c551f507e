// Aggregation of customers into clusters for the cluster LP.
//
// Features: per offer, √(best expected return over its channels), and per channel,
// √(best expected return over its offers), 0 where ineligible; z-scored. Clusters then
// group customers that are worth about the same for each offer and each channel, rather than
// merely eligible for the same things (the notes' calibration found eligibility-shaped clusters
// make the LP misprice). The square root tames the heavy (lognormal) right tail of values (a log
// would too, but costs ~20 ns per call on 18–45M options).
//
// Clusters are formed within each segment (when the instance has segments), so that every
// cluster's LP coefficients on a segment rule are exact (also for a what-if run that adds segment
// rules to reused clusters), and so that assigning a customer only searches its segment's
// centroids (k / segments of them instead of k). k-means is fitted on a seeded sample (per segment,
// in proportion to size) and every customer is then assigned to its nearest centroid in one pass
// over the typed arrays (partial-distance search over its segment's centroids only).

import type { Instance } from "./instance";
import { kmeans } from "./kmeans";
import { Rng, sampleIndexes } from "./rng";
import { NEVER, type StopCheck } from "./stop";

export interface Clustering {
  k: number;
  /** cluster per customer, -1 for customers without options */
  membership: Int32Array;
  /** segment index of each cluster, -1 when clusters span segments (or for segment-less ones) */
  segmentOfCluster: Int32Array;
  /** k × d centroids in feature units: best expected return in $ (the square of the mean √) */
  centroids: Float64Array;
  featureNames: string[];
  d: number;
}

export interface ClusterOptions {
  k: number;
  seed: number;
  /** customers sampled to fit k-means (default 20,000) */
  sampleSize?: number;
  withinSegments: boolean;
  /**
   * further per-customer features with their names (a custom capacity's measure, so that the
   * cluster LP can tell the customers who keep an average low from those who raise it)
   */
  extra?: { name: string; values: Float64Array }[];
  stop?: StopCheck;
}

export function featureNames(inst: Instance, extra: ClusterOptions["extra"] = []): string[] {
  return [
    ...inst.offerIds.map((id) => `best_return:offer:${id}`),
    ...inst.channelIds.map((id) => `best_return:channel:${id}`),
    ...extra.map((x) => x.name),
  ];
}

/** Raw features (√ of best returns, then the extras) of customer i into out[offset .. offset + d). */
function features(
  inst: Instance,
  i: number,
  out: Float64Array,
  offset: number,
  extra: ClusterOptions["extra"] = [],
): void {
  const O = inst.offerIds.length;
  const d = O + inst.channelIds.length;
  for (let t = 0; t < d; t++) out[offset + t] = 0;
  const r = inst.optReturn;
  const offer = inst.optOffer;
  const channel = inst.optChannel;
  for (let p = inst.custStart[i]; p < inst.custStart[i + 1]; p++) {
    const f = r[p];
    const a = offset + offer[p];
    const b = offset + O + channel[p];
    if (f > out[a]) out[a] = f;
    if (f > out[b]) out[b] = f;
  }
  for (let t = 0; t < d; t++) out[offset + t] = Math.sqrt(out[offset + t]);
  for (let x = 0; x < extra.length; x++) out[offset + d + x] = extra[x].values[i];
}

/** customers sampled to fit k-means when the options name no sample size: k-means on the sample
 * costs far less than the one assignment pass over every customer */
const SAMPLE_SIZE = 20000;
/** a group's sample holds at least this many customers per cluster, so that small segments still
 * give k-means several points per centroid */
const SAMPLE_PER_CLUSTER = 5;

/** The customers with options, by group: one group per segment (+1 for customers without a
 * segment) when clusters stay within segments, else a single group. */
interface Groups {
  numGroups: number;
  groupOf: (i: number) => number;
  /** customers with options per group, and over all groups */
  groupSize: Int32Array;
  total: number;
  members: Int32Array[];
}

/** z-scoring of the raw features: (x − mean) · inv, inv = 0 for a constant feature */
interface Standard {
  mean: Float64Array;
  inv: Float64Array;
}

export function clusterCustomers(inst: Instance, opts: ClusterOptions): Clustering {
  const n = inst.numCustomers;
  const extra = opts.extra ?? [];
  const stop = opts.stop ?? NEVER;
  const d = inst.offerIds.length + inst.channelIds.length + extra.length;
  const rng = new Rng(opts.seed);
  const groups = groupCustomers(inst, opts.withinSegments, stop);
  const kOf = splitK(opts.k, groups.groupSize, groups.total);
  const samples = sampleGroups(groups, kOf, opts.sampleSize ?? SAMPLE_SIZE, rng, stop);
  const std = standardisation(inst, samples, d, extra, stop);
  const { mean, inv } = std;
  const standardise = (x: Float64Array, offset: number) => {
    for (let t = 0; t < d; t++) x[offset + t] = (x[offset + t] - mean[t]) * inv[t];
  };

  // fit per group
  const numGroups = groups.numGroups;
  const S = inst.segments.length;
  const k = kOf.reduce((a, b) => a + b, 0);
  const centroids = new Float64Array(k * d);
  const firstCluster = new Int32Array(numGroups + 1);
  const segmentOfCluster = new Int32Array(k).fill(-1);
  for (let g = 0; g < numGroups; g++) {
    firstCluster[g + 1] = firstCluster[g] + kOf[g];
    if (kOf[g] === 0) continue;
    const s = samples[g];
    stop.poll();
    const data = new Float64Array(s.length * d);
    s.forEach((i, r) => {
      features(inst, i, data, r * d, extra);
      standardise(data, r * d);
    });
    stop.poll();
    const fit = kmeans(data, s.length, d, kOf[g], rng.nextUint32(), undefined, stop);
    centroids.set(fit.centroids.subarray(0, kOf[g] * d), firstCluster[g] * d);
    if (opts.withinSegments && g < S) {
      for (let c = firstCluster[g]; c < firstCluster[g + 1]; c++) segmentOfCluster[c] = g;
    }
  }

  // assign every customer to its group's nearest centroid
  const membership = new Int32Array(n).fill(-1);
  const buf = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    stop.every(i);
    if (inst.custStart[i + 1] === inst.custStart[i]) continue;
    features(inst, i, buf, 0, extra);
    standardise(buf, 0);
    const g = groups.groupOf(i);
    let best = Infinity;
    let bi = firstCluster[g];
    for (let c = firstCluster[g]; c < firstCluster[g + 1]; c++) {
      let s2 = 0;
      const base = c * d;
      for (let t = 0; t < d && s2 < best; t++) {
        const v = buf[t] - centroids[base + t];
        s2 += v * v;
      }
      if (s2 < best) {
        best = s2;
        bi = c;
      }
    }
    membership[i] = bi;
  }

  return {
    k,
    membership,
    segmentOfCluster,
    centroids: inDollars(centroids, k, d, std),
    featureNames: featureNames(inst, extra),
    d,
  };
}

function groupCustomers(inst: Instance, withinSegments: boolean, stop: StopCheck): Groups {
  const n = inst.numCustomers;
  const S = inst.segments.length;
  const numGroups = withinSegments ? S + 1 : 1;
  const groupOf = (i: number) => {
    if (!withinSegments) return 0;
    const s = inst.customerSegment[i];
    return s >= 0 ? s : S;
  };
  const groupSize = new Int32Array(numGroups);
  for (let i = 0; i < n; i++) {
    stop.every(i);
    if (inst.custStart[i + 1] > inst.custStart[i]) groupSize[groupOf(i)]++;
  }
  const total = groupSize.reduce((a, b) => a + b, 0);
  const members: Int32Array[] = Array.from(
    { length: numGroups },
    (_, g) => new Int32Array(groupSize[g]),
  );
  const fillAt = new Int32Array(numGroups);
  for (let i = 0; i < n; i++) {
    stop.every(i);
    if (inst.custStart[i + 1] === inst.custStart[i]) continue;
    const g = groupOf(i);
    members[g][fillAt[g]++] = i;
  }
  return { numGroups, groupOf, groupSize, total, members };
}

/** Per group, a seeded sample in proportion to the group's size (none where it gets no cluster). */
function sampleGroups(
  groups: Groups,
  kOf: Int32Array,
  sampleSize: number,
  rng: Rng,
  stop: StopCheck,
): Int32Array[] {
  return groups.members.map((list, g) => {
    stop.poll();
    if (kOf[g] === 0) return new Int32Array(0);
    const want = Math.max(
      kOf[g] * SAMPLE_PER_CLUSTER,
      Math.round((sampleSize * list.length) / Math.max(1, groups.total)),
    );
    const pick = sampleIndexes(list.length, Math.min(list.length, want), rng);
    return Int32Array.from(pick, (t) => list[t]);
  });
}

/** Mean and inverse standard deviation of the raw features over the pooled sample. */
function standardisation(
  inst: Instance,
  samples: Int32Array[],
  d: number,
  extra: ClusterOptions["extra"],
  stop: StopCheck,
): Standard {
  const pooled = samples.reduce((a, s) => a + s.length, 0);
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  const buf = new Float64Array(d);
  for (const s of samples) {
    stop.poll();
    for (const i of s) {
      features(inst, i, buf, 0, extra);
      for (let t = 0; t < d; t++) mean[t] += buf[t];
    }
  }
  for (let t = 0; t < d; t++) mean[t] /= Math.max(1, pooled);
  for (const s of samples) {
    stop.poll();
    for (const i of s) {
      features(inst, i, buf, 0, extra);
      for (let t = 0; t < d; t++) sd[t] += (buf[t] - mean[t]) ** 2;
    }
  }
  // a constant feature gets weight 0 rather than a division by zero
  const inv = Float64Array.from(sd, (v) => (v > 0 ? 1 / Math.sqrt(v / Math.max(1, pooled)) : 0));
  return { mean, inv };
}

/** z-scored centroids back to $ of best expected return (the square of the mean √). */
function inDollars(centroids: Float64Array, k: number, d: number, std: Standard): Float64Array {
  const { mean, inv } = std;
  const out = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let t = 0; t < d; t++) {
      const z = centroids[c * d + t];
      const root = inv[t] > 0 ? z / inv[t] + mean[t] : mean[t];
      out[c * d + t] = root > 0 ? root * root : 0;
    }
  }
  return out;
}

/** k split over groups in proportion to size (largest remainder), ≥ 1 per non-empty group. */
function splitK(k: number, size: Int32Array, total: number): Int32Array {
  const out = new Int32Array(size.length);
  if (total === 0) return out;
  const nonEmpty = size.reduce((a, s) => a + (s > 0 ? 1 : 0), 0);
  const kk = Math.max(k, nonEmpty);
  const rema: Array<[number, number]> = [];
  let used = 0;
  size.forEach((s, g) => {
    if (s === 0) return;
    const exact = (kk * s) / total;
    out[g] = Math.max(1, Math.floor(exact));
    used += out[g];
    rema.push([exact - Math.floor(exact), g]);
  });
  rema.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let t = 0; used < kk && t < rema.length; t++, used++) out[rema[t][1]]++;
  size.forEach((s, g) => (out[g] = Math.min(out[g], s)));
  return out;
}
