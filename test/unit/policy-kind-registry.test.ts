// A contact-policy kind added in one place: a test-only kind ("channel ban": no contacts through
// one channel) is one registerPolicyKind entry plus its own code, and every layer picks it up —
// the constraint set's parser, rule names and patches, the resolution against a dataset, the
// facts for a campaign date, the core's validation, compilation and constraint report, the
// report's header and the explanation of one customer.
import type { Pool } from "pg";
import { z } from "zod";
import { loadPolicies } from "../../src/db/policy-facts";
import type { Catalog } from "../../src/db/instance-loader";
import { applyPatch } from "../../src/domain/constraint-patch";
import { parseConstraintSet, type ConstraintSetDefinition } from "../../src/domain/constraint-set";
import type { PolicySpec } from "../../src/domain/policy-spec";
import { ConstraintResolutionError } from "../../src/domain/resolution-error";
import { resolvePolicies } from "../../src/domain/resolve-policies";
import { constraintReport } from "../../src/optimize/evaluate";
import type { Instance } from "../../src/optimize/instance";
import { optimize } from "../../src/optimize/optimize";
import { validatePolicies } from "../../src/optimize/policies";
import type { Policy } from "../../src/optimize/policy-types";
import { forbidCells } from "../../src/optimize/rules/common";
import { headerRows } from "../../src/reports/header";
import { customerPolicies } from "../../src/services/explain-policies";
import type { PlanReport } from "../../src/services/plan-report";
import { registerPolicyKind } from "../../src/services/policy-kinds";
import { unconstrained } from "./optimize/helpers";

// ---- the kind's own code ----

interface BanSpec {
  kind: "channel_ban";
  name: string;
  reportOnly: boolean;
  channel: number;
}
/** the core's policy: the spec needs no facts from the history */
type BanPolicy = BanSpec;

const banSchema = z.strictObject({
  name: z.string().nullish(),
  channelId: z.string().min(1),
  reportOnly: z.boolean().default(false),
});

const banName = (r: z.output<typeof banSchema>) => r.name ?? `ban:${r.channelId}`;

const unregister = registerPolicyKind({
  contract: {
    kind: "channel_ban",
    field: "channelBans",
    word: "channel ban",
    schema: banSchema,
    name: banName,
    chosenNameIsRowName: true,
    repeatedPerWave: false,
    resolve: (r, path, ids) =>
      ({
        kind: "channel_ban",
        name: banName(r),
        reportOnly: r.reportOnly,
        channel: ids.channel(r.channelId, `${path}.channelId`),
      }) satisfies BanSpec as unknown as PolicySpec,
  },
  facts: async (spec: BanSpec) => ({ ...spec }) as unknown as Policy,
  core: {
    kind: "channel_ban",
    check: (p: BanPolicy, inst) =>
      p.channel >= 0 && p.channel < inst.channelIds.length ? null : "channel",
    forbid(p: BanPolicy, c) {
      const cells = new Uint8Array(c.O * c.K);
      for (let o = 0; o < c.O; o++) cells[o * c.K + p.channel] = 1;
      for (let i = 0; i < c.n; i++) forbidCells(c, i, cells);
    },
    report(p: BanPolicy, inst, ch) {
      let bad = 0;
      for (let t = 0; t < ch.n; t++) if (inst.optChannel[ch.opt[t]] === p.channel) bad++;
      // the report's kinds are the built-in ones; a test kind reports as itself all the same
      const kind = p.kind as unknown as "cool_off";
      return [
        {
          name: p.name,
          kind,
          reportOnly: p.reportOnly,
          unit: 1,
          sense: "LE",
          activity: bad,
          bound: 0,
        },
      ];
    },
  },
  explain: async (p: BanPolicy, ctx) =>
    ctx.opts.some((o) => o.channel === ctx.inst.channelIds[p.channel])
      ? `${p.name}: nothing through ${ctx.inst.channelIds[p.channel]}`
      : null,
});
afterAll(() => unregister());

// ---- a small dataset: 3 customers, offers gold / loan, channels mail / call ----

const inst: Instance = {
  numCustomers: 3,
  offerIds: ["gold", "loan"],
  channelIds: ["mail", "call"],
  segments: [],
  customerSegment: Int32Array.of(-1, -1, -1),
  customerKey: Int32Array.of(11, 12, 13),
  // every customer has all four options; call pays best
  custStart: Int32Array.of(0, 4, 8, 12),
  optOffer: Int32Array.from({ length: 12 }, (_, p) => (p % 4 < 2 ? 0 : 1)),
  optChannel: Int32Array.from({ length: 12 }, (_, p) => p % 2),
  optReturn: Float64Array.from({ length: 12 }, (_, p) => (p % 2 === 1 ? 50 : 10)),
  optCost: Float64Array.from({ length: 12 }, () => 1),
};
const ctx = { offerIds: inst.offerIds, channelIds: inst.channelIds, offerCategory: [null, null] };
const catalog: Catalog = {
  offers: inst.offerIds.map((id, o) => ({
    dbId: o + 1,
    id,
    category: null,
    minVolume: 0,
    maxVolume: null,
    allowed: [],
  })),
  channels: inst.channelIds.map((id, k) => ({
    dbId: k + 1,
    id,
    costPerContact: 1,
    capacity: null,
    responseFactor: 1,
  })),
  segments: [],
};

function parsed(input: unknown): ConstraintSetDefinition {
  const res = parseConstraintSet(input);
  if (!res.ok) throw new Error(JSON.stringify(res.problems));
  return res.value;
}

describe("a rule kind registered once", () => {
  const def = parsed({ name: "bans", channelBans: [{ channelId: "call" }] });

  it("is parsed, named and checked like a built-in list", () => {
    expect((def as Record<string, unknown>).channelBans).toEqual([
      { channelId: "call", reportOnly: false },
    ]);
    const bad = parseConstraintSet({ name: "x", channelBans: [{ channelId: "call", max: 1 }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]!.path).toBe("channelBans.0.max");
    // a chosen name that is one of the plan's own rows is refused, as for every kind
    const clash = parseConstraintSet({
      name: "x",
      channelBans: [{ name: "budget", channelId: "call" }],
    });
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.problems[0]!.path).toBe("channelBans.0.name");
  });

  it("is keyed by its report name in a patch", () => {
    expect(applyPatch(def, { channelBans: { "ban:call": null } }).channelBans).toEqual([]);
    expect(applyPatch(def, { channelBans: { "ban:mail": { channelId: "mail" } } })).toMatchObject({
      channelBans: [{ channelId: "call" }, { channelId: "mail" }],
    });
  });

  it("resolves against the dataset's ids, reporting an unknown one at its path", () => {
    expect(resolvePolicies(def, ctx)).toEqual([
      { kind: "channel_ban", name: "ban:call", reportOnly: false, channel: 1 },
    ]);
    const unknown = parsed({ name: "x", channelBans: [{ channelId: "fax" }] });
    expect(() => resolvePolicies(unknown, ctx)).toThrow(ConstraintResolutionError);
  });

  it("has its facts loaded, is validated, compiled and reported by the core", async () => {
    const specs = resolvePolicies(def, ctx);
    // the kind's loader reads nothing: the pool is never asked
    const policies = await loadPolicies({} as Pool, specs, inst, catalog, "2026-12-01");
    const cons = { ...unconstrained(inst, 1), policies };
    const res = await optimize(inst, cons, { method: "EXACT" });
    // without the ban every customer would take a call option (50 > 10)
    for (let p = 0; p < res.selected.length; p++) {
      if (res.selected[p]) expect(inst.optChannel[p]).toBe(0);
    }
    expect(res.selected.reduce((a, b) => a + b, 0)).toBe(3);
    const allCalls = Uint8Array.from({ length: 12 }, (_, p) => (p % 4 === 1 ? 1 : 0));
    const row = constraintReport(inst, cons, allCalls).find((r) => r.name === "ban:call");
    expect(row).toMatchObject({ kind: "channel_ban", activity: 3, bound: 0, slack: -3 });
    const wrong = [{ ...policies[0]!, channel: 5 } as unknown as Policy];
    expect(() => validatePolicies(inst, { ...cons, policies: wrong })).toThrow(
      "invalid optimisation input: policy ban:call: channel",
    );
  });

  it("is counted in the report's header", () => {
    const r = { constraintSetDefinition: def } as unknown as PlanReport;
    const rules = headerRows({
      ...r,
      createdAt: null,
      startedAt: null,
      finishedAt: null,
      parameters: {},
      provenance: { fingerprint: null, stale: null },
    } as unknown as PlanReport).find(([t]) => t === "Rules");
    expect(rules?.[1]).toBe("1 channel ban");
  });

  it("explains itself for one customer", async () => {
    // the explanation reads the catalogue; the kind's facts read nothing
    const pool = {
      query: async (sql: string) => ({
        rows: sql.includes("FROM offer")
          ? catalog.offers.map((o) => ({ id: o.dbId, ext: o.id, category: null }))
          : catalog.channels.map((c) => ({ id: c.dbId, ext: c.id })),
      }),
    } as unknown as Pool;
    const options = [
      { offer: "gold", channel: "mail", expectedReturn: 10, cost: 1 },
      { offer: "gold", channel: "call", expectedReturn: 50, cost: 1 },
    ];
    const out = await customerPolicies(pool, 1, def, 11, "2026-12-01", options);
    expect(out.facts.blocked).toEqual(new Map([["gold\u0000call", ["ban:call"]]]));
    expect(out.facts.notes).toEqual(["ban:call: nothing through call"]);
  });
});
