// Confidence intervals for response rates and their difference (uplift). Pure arithmetic, no
// database: the service and the simulation tests use these, and the SQL functions of the
// bi.plan_results view (bi.wilson_interval, bi.uplift_interval) compute the same formulas, which
// a database test keeps in step.
//
// Method: Newcombe's hybrid score interval for a difference of independent proportions (Newcombe
// 1998, "Interval estimation for the difference between independent proportions", method 10),
// built from the two groups' Wilson score intervals. Chosen over the normal approximation (Wald)
// because response rates are small and control groups can be small: Wald's interval collapses to
// a point when a group has no responder and undercovers badly below ~10 responders, while
// Newcombe's stays close to its nominal level there and is still closed-form (so SQL can compute
// it too).

/** the 97.5th percentile of the standard normal: a two-sided 95 % interval */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for x successes in n trials; null when n is 0. */
export function wilson(x: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = x / n;
  const z2 = z * z;
  const centre = (x + z2 / 2) / (n + z2);
  const half = ((z * Math.sqrt(n)) / (n + z2)) * Math.sqrt(p * (1 - p) + z2 / (4 * n));
  // at x = 0 or x = n the bound is exactly 0 or 1 in exact arithmetic; rounding may overshoot
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface Difference extends Interval {
  /** p1 − p2 */
  estimate: number;
}

/**
 * p1 − p2 = x1/n1 − x2/n2 with Newcombe's hybrid score interval; null when either group is empty.
 * (Group 1 is the treatment, group 2 the control: the estimate is the uplift.)
 */
export function newcombeDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z = Z95,
): Difference | null {
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  if (!w1 || !w2) return null;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  return {
    estimate: d,
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/** x / n, null when n is 0 */
export function rate(x: number, n: number): number | null {
  return n > 0 ? x / n : null;
}
