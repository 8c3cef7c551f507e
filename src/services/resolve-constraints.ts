// Resolves a constraint-set definition (the contract's JSON) against a dataset's ids into the
// optimizer's PlanConstraints. It lives with the services, not in src/domain, because its output is
// the core's input type: the contract's vocabulary stays free of the core. Not generator-specific: any caller that knows the ids and the
// channels.csv / offers.csv limits can use it: the plan service, the generator, tests.
import type { ConstraintSetDefinition, FieldProblem } from "../domain/constraint-set";
import { ConstraintResolutionError } from "../domain/resolution-error";
import { segmentRuleName } from "../domain/rule-names";
import type { PlanConstraints, ResolvedSegmentRule } from "../optimize/instance";

export interface ConstraintContext {
  offerIds: readonly string[];
  channelIds: readonly string[];
  segments: readonly string[];
  /** per channel, from channels.csv; Infinity = unlimited. Absent = all unlimited. */
  channelCapacity?: ArrayLike<number>;
  /** per offer, from offers.csv. Absent = all 0. */
  offerMin?: ArrayLike<number>;
  /** per offer, from offers.csv; Infinity = unlimited. Absent = all unlimited. */
  offerMax?: ArrayLike<number>;
}

function filled(n: number, from: ArrayLike<number> | undefined, absent: number): Float64Array {
  if (from !== undefined && from.length !== n) {
    throw new RangeError(`expected ${n} default limits, got ${from.length}`);
  }
  return from === undefined ? new Float64Array(n).fill(absent) : Float64Array.from(from);
}

/**
 * The set's channelCapacities and offerVolumes override the defaults (a volume entry overrides
 * only the bounds it gives); absent budget = Infinity, absent hurdle rate = null.
 */
export function resolveConstraints(
  def: ConstraintSetDefinition,
  ctx: ConstraintContext,
): PlanConstraints {
  const problems: FieldProblem[] = [];
  const lookup = (ids: readonly string[]) => new Map(ids.map((id, i) => [id, i]));
  const offers = lookup(ctx.offerIds);
  const channels = lookup(ctx.channelIds);
  const segments = lookup(ctx.segments);
  const find = (map: Map<string, number>, id: string, path: string, what: string) => {
    const i = map.get(id);
    if (i === undefined) problems.push({ path, message: `unknown ${what} "${id}"` });
    return i ?? -1;
  };

  const channelCapacity = filled(ctx.channelIds.length, ctx.channelCapacity, Infinity);
  def.channelCapacities.forEach((c, n) => {
    const k = find(channels, c.channelId, `channelCapacities.${n}.channelId`, "channel");
    if (k >= 0) channelCapacity[k] = c.capacity;
  });

  const offerMin = filled(ctx.offerIds.length, ctx.offerMin, 0);
  const offerMax = filled(ctx.offerIds.length, ctx.offerMax, Infinity);
  def.offerVolumes.forEach((v, n) => {
    const j = find(offers, v.offerId, `offerVolumes.${n}.offerId`, "offer");
    if (j < 0) return;
    if (v.min != null) offerMin[j] = v.min;
    if (v.max != null) offerMax[j] = v.max;
  });
  offerMin.forEach((min, j) => {
    if (min > offerMax[j]) {
      const n = def.offerVolumes.findIndex((v) => v.offerId === ctx.offerIds[j]);
      problems.push({
        path: n >= 0 ? `offerVolumes.${n}` : `offers.${ctx.offerIds[j]}`,
        message: `offer "${ctx.offerIds[j]}": minimum ${min} exceeds maximum ${offerMax[j]}`,
      });
    }
  });

  const segmentRules: ResolvedSegmentRule[] = def.segmentRules.map((r, n) => {
    const path = `segmentRules.${n}`;
    const segment = find(segments, r.segment, `${path}.segment`, "segment");
    const offer = r.offerId == null ? -1 : find(offers, r.offerId, `${path}.offerId`, "offer");
    const channel =
      r.channelId == null ? -1 : find(channels, r.channelId, `${path}.channelId`, "channel");
    return {
      name: segmentRuleName(r),
      segment,
      offer,
      channel,
      max: r.max ?? null,
      minShare: r.minShare ?? null,
    };
  });

  if (problems.length > 0) throw new ConstraintResolutionError(problems);
  return {
    objective: def.objective,
    budget: def.budget ?? Infinity,
    hurdleRate: def.hurdleRate ?? null,
    maxOffersPerCustomer: def.maxOffersPerCustomer,
    channelCapacity,
    offerMin,
    offerMax,
    segmentRules,
  };
}
