// k-means on a dense row-major Float64Array (n × d): k-means++ seeding and Lloyd iterations,
// seeded and deterministic. ml-kmeans (installed) is an ES module that Jest in this CommonJS
// project cannot load without a transform we may not configure, and it works on number[][]
// with a distance callback per pair; on typed arrays the same algorithm is several times faster
// and allocation-free in the inner loops.

import { Rng } from "./rng";

export interface KMeansResult {
  k: number;
  centroids: Float64Array;
  assignment: Int32Array;
  iterations: number;
}

export function kmeans(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  seed: number,
  maxIterations = 20,
): KMeansResult {
  k = Math.max(1, Math.min(k, n));
  const rng = new Rng(seed);
  const centroids = seedPlusPlus(data, n, d, k, rng);
  const assignment = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const dist = new Float64Array(n);
  let iterations = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const index = nearest(data, i * d, centroids, k, d, dist, i);
      if (assignment[i] !== index) {
        assignment[i] = index;
        changed++;
      }
    }
    if (changed === 0 && it > 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const g = assignment[i];
      counts[g]++;
      for (let t = 0; t < d; t++) sums[g * d + t] += data[i * d + t];
    }
    for (let g = 0; g < k; g++) {
      if (counts[g] === 0) {
        // an empty cluster takes the point farthest from its centroid
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        for (let t = 0; t < d; t++) centroids[g * d + t] = data[far * d + t];
        dist[far] = 0;
        continue;
      }
      for (let t = 0; t < d; t++) centroids[g * d + t] = sums[g * d + t] / counts[g];
    }
  }
  // final assignment to the final centroids
  for (let i = 0; i < n; i++) assignment[i] = nearest(data, i * d, centroids, k, d, dist, i);
  return { k, centroids, assignment, iterations };
}

function seedPlusPlus(data: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centroids = new Float64Array(k * d);
  const d2 = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let g = 0; g < k; g++) {
    for (let t = 0; t < d; t++) centroids[g * d + t] = data[pick * d + t];
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const x = data[i * d + t] - centroids[g * d + t];
        s += x * x;
      }
      if (s < d2[i]) d2[i] = s;
      total += d2[i];
    }
    if (g + 1 === k) break;
    if (total <= 0) {
      pick = rng.int(n);
      continue;
    }
    let target = rng.float() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= d2[i];
      if (target <= 0) {
        pick = i;
        break;
      }
    }
  }
  return centroids;
}

/** Nearest centroid with partial-distance early exit; its squared distance goes to dist[at]. */
export function nearest(
  x: Float64Array,
  offset: number,
  centroids: Float64Array,
  k: number,
  d: number,
  dist: Float64Array,
  at: number,
): number {
  let best = Infinity;
  let index = 0;
  for (let g = 0; g < k; g++) {
    let s = 0;
    const base = g * d;
    for (let t = 0; t < d && s < best; t++) {
      const v = x[offset + t] - centroids[base + t];
      s += v * v;
    }
    if (s < best) {
      best = s;
      index = g;
    }
  }
  dist[at] = best;
  return index;
}
