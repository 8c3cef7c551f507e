// The cutting-plane master problem of dual-search.ts, solved by a small dense primal simplex:
//
//   min_{μ ∈ [l, u]}  max_i ( a_i + G_i·μ )
//
// HiGHS (WASM) takes ~30 ms per call on this 40 × 60 problem (model set-up dominates; measured
// with bench/optimize-core-scratch4.ts), which would cost more than the Lagrangian passes
// themselves; this dense tableau solves it in well under a millisecond.
//
// Substituting μ = l + y (0 ≤ y ≤ w = u − l) and t = T − s with T = max_i (a_i + max_box G_i·μ),
// the problem becomes  max s  s.t.  s + G_i·y ≤ T − a_i − G_i·l (≥ 0),  y_j ≤ w_j,  s, y ≥ 0,
// whose all-slack basis is feasible, so no phase I is needed. Bland's rule guards against cycling.

export interface MasterResult {
  mu: Float64Array;
  /** the model's minimum max_i (a_i + G_i·μ) */
  t: number;
}

/**
 * @param a   cut offsets, length n
 * @param G   cut slopes, row-major n × m
 * @param lo  lower bounds of μ (finite)
 * @param up  upper bounds of μ (finite, ≥ lo)
 */
export function solveMaster(
  a: Float64Array,
  G: Float64Array,
  lo: Float64Array,
  up: Float64Array,
): MasterResult {
  // Subgradients are in contacts and money (1e5 and more on a large campaign) while μ is in
  // normalised units: unscaled, the slack columns hold entries near 1/|G| that the pivot tolerance
  // took for zeros, and the simplex stopped at a point worse than the box's centre. Dividing every
  // cut by the largest slope leaves the minimiser unchanged and the tableau near unit scale.
  let gMax = 0;
  for (let k = 0; k < G.length; k++) gMax = Math.max(gMax, Math.abs(G[k]));
  if (gMax > 0 && gMax !== 1) {
    const res = solveMaster(
      a.map((x) => x / gMax),
      G.map((x) => x / gMax),
      lo,
      up,
    );
    return { mu: res.mu, t: modelValue(a, G, res.mu) };
  }
  const m = lo.length;
  const { tab, basis, obj, R, C, W } = tableau(a, G, lo, up);
  simplex(tab, obj, basis, R, C, W);
  const y = new Float64Array(1 + m);
  for (let r = 0; r < R; r++) {
    if (basis[r] <= m) y[basis[r]] = tab[r * W + C];
  }
  const mu = new Float64Array(m);
  for (let j = 0; j < m; j++) mu[j] = Math.min(up[j], Math.max(lo[j], lo[j] + y[1 + j]));
  // report the model value at μ directly (robust to round-off in the tableau)
  return { mu, t: modelValue(a, G, mu) };
}

/** The simplex's limits: a pivot budget and the switch to Bland's rule, both per tableau
 * dimension (rows + columns); the problem is tiny, so a run that reaches them is cycling. */
const SIMPLEX = {
  /** pivots at most, per dimension; beyond that the current basic point is returned */
  maxPivots: 50,
  /** pivots by steepest reduced cost before Bland's rule (slower, but cannot cycle) takes over */
  blandAfter: 5,
  /** a pivot entry must exceed this times the tableau's largest entry: smaller ones are round-off */
  pivotTol: 1e-11,
};

/** A dense tableau. Rows: n cut rows + m bound rows; columns: s, y_0..y_{m-1}, slacks (n+m),
 * rhs (W = C + 1 wide); all-slack basis; obj holds the reduced costs of "max s". */
interface Tableau {
  tab: Float64Array;
  basis: Int32Array;
  obj: Float64Array;
  R: number;
  C: number;
  W: number;
}

function tableau(a: Float64Array, G: Float64Array, lo: Float64Array, up: Float64Array): Tableau {
  const n = a.length;
  const m = lo.length;
  // T: the largest value any cut takes over the box
  let T = -Infinity;
  for (let i = 0; i < n; i++) {
    let v = a[i];
    for (let j = 0; j < m; j++) {
      const g = G[i * m + j];
      v += g > 0 ? g * up[j] : g * lo[j];
    }
    T = Math.max(T, v);
  }
  const R = n + m;
  const C = 1 + m + R;
  const W = C + 1;
  const tab = new Float64Array(R * W);
  const basis = new Int32Array(R);
  for (let i = 0; i < n; i++) {
    const row = i * W;
    tab[row] = 1;
    let rhs = T - a[i];
    for (let j = 0; j < m; j++) {
      const g = G[i * m + j];
      tab[row + 1 + j] = g;
      rhs -= g * lo[j];
    }
    tab[row + 1 + m + i] = 1;
    tab[row + C] = Math.max(0, rhs);
    basis[i] = 1 + m + i;
  }
  for (let j = 0; j < m; j++) {
    const row = (n + j) * W;
    tab[row + 1 + j] = 1;
    tab[row + 1 + m + n + j] = 1;
    tab[row + C] = Math.max(0, up[j] - lo[j]);
    basis[n + j] = 1 + m + n + j;
  }
  // objective row (reduced costs of "max s"): z − s = 0
  const obj = new Float64Array(W);
  obj[0] = -1;
  return { tab, basis, obj, R, C, W };
}

/** Primal simplex on the tableau, in place, until no reduced cost is negative. */
function simplex(
  tab: Float64Array,
  obj: Float64Array,
  basis: Int32Array,
  R: number,
  C: number,
  W: number,
): void {
  let scale = 1;
  for (let i = 0; i < R * W; i++) scale = Math.max(scale, Math.abs(tab[i]));
  const eps = SIMPLEX.pivotTol * scale;

  for (let iter = 0; iter < SIMPLEX.maxPivots * (R + C); iter++) {
    // entering column: most negative reduced cost, or Bland (first negative) after many steps
    const bland = iter > SIMPLEX.blandAfter * (R + C);
    let enter = -1;
    let best = -1e-12;
    for (let c = 0; c < C; c++) {
      if (obj[c] < best) {
        enter = c;
        if (bland) break;
        best = obj[c];
      }
    }
    if (enter < 0) break;
    // ratio test
    let leave = -1;
    let ratio = Infinity;
    for (let r = 0; r < R; r++) {
      const v = tab[r * W + enter];
      if (v > eps) {
        const q = tab[r * W + C] / v;
        if (q < ratio - 1e-15 || (q <= ratio + 1e-15 && leave >= 0 && basis[r] < basis[leave])) {
          ratio = q;
          leave = r;
        }
      }
    }
    if (leave < 0) break; // unbounded cannot happen with a bounded box; stop safely
    pivot(tab, obj, R, W, leave, enter);
    basis[leave] = enter;
  }
}

function modelValue(a: Float64Array, G: Float64Array, mu: Float64Array): number {
  const m = mu.length;
  let t = -Infinity;
  for (let i = 0; i < a.length; i++) {
    let v = a[i];
    for (let j = 0; j < m; j++) v += G[i * m + j] * mu[j];
    t = Math.max(t, v);
  }
  return t;
}

function pivot(tab: Float64Array, obj: Float64Array, R: number, W: number, pr: number, pc: number) {
  const prow = pr * W;
  const pv = tab[prow + pc];
  for (let c = 0; c < W; c++) tab[prow + c] /= pv;
  for (let r = 0; r < R; r++) {
    if (r === pr) continue;
    const f = tab[r * W + pc];
    if (f === 0) continue;
    const row = r * W;
    for (let c = 0; c < W; c++) tab[row + c] -= f * tab[prow + c];
    tab[row + pc] = 0;
  }
  const f = obj[pc];
  if (f !== 0) {
    for (let c = 0; c < W; c++) obj[c] -= f * tab[prow + c];
    obj[pc] = 0;
  }
}
