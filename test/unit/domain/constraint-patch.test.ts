// Patching a constraint set keeps every field and entry the patch does not name, and the diff
// between two versions names exactly what changed.
import { applyPatch, diffDefinitions, PatchError } from "../../../src/domain/constraint-patch";
import {
  parseConstraintSet,
  type ConstraintSetDefinition,
} from "../../../src/domain/constraint-set";

function parse(input: unknown): ConstraintSetDefinition {
  const r = parseConstraintSet(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

const base = parse({
  name: "Q1 retention",
  budget: 40000,
  hurdleRate: 0.2,
  channelCapacities: [
    { channelId: "branch", capacity: 10000 },
    { channelId: "call_centre", capacity: 8000 },
  ],
  offerVolumes: [
    { offerId: "inv_gic", min: 100 },
    { offerId: "inv_rrsp", min: 50, max: 900 },
  ],
  segmentRules: [{ segment: "youth", offerId: "lend_mortgage", max: 10 }],
  fatigueRules: [{ maxContacts: 2, windowDays: 30 }],
});

const patched = (p: unknown) => parse(applyPatch(base, p));

describe("constraint-set patch", () => {
  it("changes the budget and nothing else (a whole-definition revise lost the rest)", () => {
    const next = patched({ budget: 25000 });
    expect(next).toEqual({ ...base, budget: 25000 });
  });

  it("changes one capacity by its channel, keeping the others", () => {
    const next = patched({ channelCapacities: { branch: { capacity: 4000 } } });
    expect(next.channelCapacities).toEqual([
      { channelId: "branch", capacity: 4000 },
      { channelId: "call_centre", capacity: 8000 },
    ]);
    // the array form replaces or adds whole entries, by key
    const arr = patched({ channelCapacities: [{ channelId: "mail", capacity: 5 }] });
    expect(arr.channelCapacities.map((c) => c.channelId)).toEqual([
      "branch",
      "call_centre",
      "mail",
    ]);
  });

  it("removes an entry with null, a field of an entry with null, and a field with null", () => {
    const next = patched({
      channelCapacities: { call_centre: null },
      offerVolumes: { inv_rrsp: { max: null } },
      hurdleRate: null,
    });
    expect(next.channelCapacities).toEqual([{ channelId: "branch", capacity: 10000 }]);
    expect(next.offerVolumes).toEqual([
      { offerId: "inv_gic", min: 100 },
      { offerId: "inv_rrsp", min: 50 },
    ]);
    expect(next.hurdleRate).toBeUndefined();
  });

  it("keys rules by their report name, and names a new rule by its key", () => {
    const next = patched({
      fatigueRules: {
        "fatigue:30d": { maxContacts: 3 },
        weekly: { maxContacts: 1, windowDays: 7 },
      },
      segmentRules: { "segment:youth/offer:lend_mortgage": { max: 20 } },
    });
    expect(next.fatigueRules).toEqual([
      { maxContacts: 3, windowDays: 30, reportOnly: false },
      { name: "weekly", maxContacts: 1, windowDays: 7, reportOnly: false },
    ]);
    expect(next.segmentRules).toEqual([{ segment: "youth", offerId: "lend_mortgage", max: 20 }]);
  });

  it("says where a patch is wrong", () => {
    const err = (p: unknown) => {
      try {
        applyPatch(base, p);
      } catch (e) {
        if (e instanceof PatchError) return [e.path, e.message];
        throw e;
      }
      throw new Error("no error");
    };
    expect(err({ channelCapacities: { mail: null } })).toEqual([
      "channelCapacities.mail",
      'there is no entry "mail" to remove',
    ]);
    expect(
      err({ segmentRules: { "segment:adults": { segment: "youth", channelId: "mail", max: 1 } } }),
    ).toEqual([
      "segmentRules.segment:adults",
      'a new entry\'s fields make its key "segment:youth/channel:mail", not "segment:adults"',
    ]);
    expect(err({ offerVolumes: 3 })[0]).toBe("offerVolumes");
    expect(err([1])[0]).toBe("");
  });
});

describe("constraint-set diff", () => {
  it("is empty between equal definitions", () => {
    expect(diffDefinitions(base, parse(JSON.parse(JSON.stringify(base))))).toEqual([]);
  });

  it("names each change with its path, old and new value", () => {
    const next = patched({
      budget: 25000,
      hurdleRate: null,
      channelCapacities: { branch: { capacity: 4000 }, call_centre: null },
      offerVolumes: [{ offerId: "dd_online", min: 5 }],
    });
    expect(diffDefinitions(base, next)).toEqual([
      { path: "budget", kind: "changed", old: 40000, new: 25000 },
      { path: "channelCapacities[branch].capacity", kind: "changed", old: 10000, new: 4000 },
      {
        path: "channelCapacities[call_centre]",
        kind: "removed",
        old: { channelId: "call_centre", capacity: 8000 },
        new: null,
      },
      { path: "hurdleRate", kind: "removed", old: 0.2, new: null },
      {
        path: "offerVolumes[dd_online]",
        kind: "added",
        old: null,
        new: { offerId: "dd_online", min: 5 },
      },
    ]);
  });
});
