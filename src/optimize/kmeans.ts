// k-means on a dense row-major Float64Array (n × d): seeded k-means++ initialisation here, then
// ml-kmeans' Lloyd iterations from those centres, so a fixed seed gives the same clusters every
// run. The seeding stays ours: ml-kmeans' own (greedy k-means++ on ml-matrix rows) measured
// 0.1–0.2 s per segment's fit, three times its Lloyd iterations, and it throws when a sample has
// fewer distinct points than clusters, which ours tolerates. k-means runs only on the sample
// (≤ 20,000 customers): the one-pass nearest-centroid assignment of every customer stays on typed
// arrays (nearest() below, cluster.ts), where number[][] rows and a distance callback per pair
// would cost seconds at millions of customers.
import type * as MlKMeans from "ml-kmeans/lib/kmeans";
import { Rng } from "./rng";
import { NEVER, type StopCheck } from "./stop";

// ml-kmeans is published as an ES module only: Node (≥ 20.19, and tsx) requires it as is, Jest
// compiles it to CommonJS (jest.config.js). Its types are named by path because this project's
// "node" module resolution does not read package exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { kmeansGenerator } = require("ml-kmeans") as typeof MlKMeans;

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
  stop: StopCheck = NEVER,
): KMeansResult {
  k = Math.max(1, Math.min(k, n));
  const start = seedPlusPlus(data, n, d, k, new Rng(seed), stop);
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * d, (i + 1) * d)));
  const initialization: number[][] = [];
  for (let g = 0; g < k; g++) initialization.push(Array.from(start.subarray(g * d, (g + 1) * d)));
  // An empty cluster keeps its previous centre in ml-kmeans (it stays empty). The generator runs
  // the same Lloyd steps as ml-kmeans' kmeans() and hands back control after each one.
  let fit: ReturnType<typeof MlKMeans.kmeans> | undefined;
  for (const step of kmeansGenerator(rows, k, { maxIterations, initialization })) {
    fit = step;
    stop.poll();
  }
  if (fit === undefined) throw new Error("internal error: k-means ran no step");
  const centroids = new Float64Array(k * d);
  for (let g = 0; g < k; g++) centroids.set(fit.centroids[g]!, g * d);
  const assignment = new Int32Array(n);
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    stop.every(i);
    assignment[i] = nearest(data, i * d, centroids, k, d, dist, i);
  }
  return { k, centroids, assignment, iterations: fit.iterations };
}

function seedPlusPlus(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  stop: StopCheck,
): Float64Array {
  const centroids = new Float64Array(k * d);
  const d2 = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let g = 0; g < k; g++) {
    stop.poll();
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
