// Changing part of a constraint set without losing the rest, and saying what changed. A patch is
// a JSON merge patch over the set's definition in which every list is keyed: capacities by
// channel, volumes by offer, rules by their report name, waves by name. So
//   { budget: 25000, channelCapacities: { branch: { capacity: 4000 }, mail: null } }
// sets the budget, changes the branch capacity and removes the mail capacity, and leaves every
// other field and entry as it was. A list may also be given as an array of whole entries, each
// added or replacing the entry of its key. What-if overrides merge the same way.
import type { ConstraintSetDefinition } from "./constraint-set";
import { policyRules } from "./policy-rules";
import { segmentRuleName } from "./rule-names";

type Def = ConstraintSetDefinition;
type Entry = Record<string, unknown>;

/**
 * The keyed lists, in the definition's order: the key each list's entries are matched by (the
 * constraint report's name for rules, policy-rules.ts), and the field a new entry added in the
 * keyed form takes its key from when the patch leaves it out. Segment rules have none: their key
 * is made of their fields, which must then agree. A function, so that a rule kind registered at
 * run time is keyed too.
 */
interface KeyedList {
  key: (e: Entry) => string;
  field: string | null;
}

function keyedLists(): Map<string, KeyedList> {
  return new Map<string, KeyedList>([
    ["channelCapacities", { key: (e) => String(e.channelId), field: "channelId" }],
    ["offerVolumes", { key: (e) => String(e.offerId), field: "offerId" }],
    ["segmentRules", { key: (e) => segmentRuleName(e as never), field: null }],
    ...policyRules().map((r): [string, KeyedList] => [
      r.field,
      { key: (e) => (r.key ?? r.name)(e), field: "name" },
    ]),
    ["waves", { key: (e) => String(e.name), field: "name" }],
  ]);
}
const isKeyed = (field: string) => keyedLists().has(field);
const keyOf = (field: string) => keyedLists().get(field)!.key;

/** the keyed lists of the built-in definition */
export const KEYED_LISTS = [...keyedLists().keys()];

export class PatchError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Entry =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The definition with the patch applied; validation of the result is the caller's. */
export function applyPatch(def: Def, patch: unknown): Entry {
  if (!isObject(patch)) throw new PatchError("", "a patch is a JSON object");
  const out: Entry = { ...(def as unknown as Entry) };
  for (const [field, change] of Object.entries(patch)) {
    if (isKeyed(field)) out[field] = patchList(field, (out[field] as Entry[]) ?? [], change);
    else if (change === null) delete out[field];
    else out[field] = change;
  }
  return out;
}

function patchList(field: string, current: Entry[], change: unknown): Entry[] | undefined {
  if (change === null) return undefined;
  const key = keyOf(field);
  const entries = new Map(current.map((e) => [key(e), e]));
  if (Array.isArray(change)) {
    change.forEach((e, i) => {
      if (!isObject(e)) throw new PatchError(`${field}.${i}`, "must be an object");
      entries.set(key(e), e);
    });
  } else if (isObject(change)) {
    for (const [k, e] of Object.entries(change)) {
      if (e === null) {
        if (!entries.delete(k))
          throw new PatchError(`${field}.${k}`, `there is no entry "${k}" to remove`);
      } else if (!isObject(e)) throw new PatchError(`${field}.${k}`, "must be an object or null");
      else entries.set(k, mergeEntry(field, k, entries.get(k), e));
    }
  } else
    throw new PatchError(field, "must be an array of entries, an object keyed by entry, or null");
  return [...entries.values()];
}

function mergeEntry(field: string, key: string, old: Entry | undefined, change: Entry): Entry {
  const merged: Entry = { ...(old ?? {}) };
  for (const [f, v] of Object.entries(change)) {
    if (v === null) delete merged[f];
    else merged[f] = v;
  }
  if (old) return merged;
  const keyField = keyedLists().get(field)!.field;
  // a new rule named by its key, unless its own fields already give it that name
  if (keyField && merged[keyField] == null && keyOf(field)(merged) !== key) merged[keyField] = key;
  if (keyOf(field)(merged) !== key)
    throw new PatchError(
      `${field}.${key}`,
      `a new entry's fields make its key "${keyOf(field)(merged)}", not "${key}"`,
    );
  return merged;
}

/**
 * What a patch names, as the patched definition has it: each scalar field, and for a list the
 * entries it adds or changes, each with where the patch names it (its index in the array form,
 * its key in the keyed form). A check of the patch alone reads these and reports at those places.
 */
export function patchedParts(
  patched: Entry,
  patch: Entry,
): { fields: Entry; at: Record<string, string[]> } {
  const fields: Entry = {};
  const at: Record<string, string[]> = {};
  for (const [field, change] of Object.entries(patch)) {
    if (!isKeyed(field)) {
      if (change !== null) fields[field] = patched[field];
      continue;
    }
    const byKey = new Map(((patched[field] as Entry[]) ?? []).map((e) => [keyOf(field)(e), e]));
    const named: [string, string][] = Array.isArray(change)
      ? change.map((e, i) => [keyOf(field)(e as Entry), String(i)])
      : isObject(change)
        ? Object.keys(change)
            .filter((k) => change[k] !== null)
            .map((k) => [k, k])
        : [];
    const found = named.filter(([k]) => byKey.has(k));
    fields[field] = found.map(([k]) => byKey.get(k));
    at[field] = found.map(([, place]) => place);
  }
  return { fields, at };
}

export interface Change {
  /** e.g. "budget", "channelCapacities[branch]", "channelCapacities[branch].capacity" */
  path: string;
  kind: "added" | "removed" | "changed";
  old: unknown;
  new: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed from one definition to another, field by field and entry by entry. */
export function diffDefinitions(from: Def, to: Def): Change[] {
  const a = from as unknown as Entry;
  const b = to as unknown as Entry;
  const changes: Change[] = [];
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const f of fields) {
    if (isKeyed(f)) changes.push(...diffList(f, (a[f] as Entry[]) ?? [], (b[f] as Entry[]) ?? []));
    else if (!same(a[f], b[f])) changes.push(change(f, a[f], b[f]));
  }
  return changes;
}

function change(path: string, old: unknown, now: unknown): Change {
  const kind = old == null ? "added" : now == null ? "removed" : "changed";
  return { path, kind, old: old ?? null, new: now ?? null };
}

function diffList(field: string, from: Entry[], to: Entry[]): Change[] {
  const key = keyOf(field);
  const a = new Map(from.map((e) => [key(e), e]));
  const b = new Map(to.map((e) => [key(e), e]));
  const out: Change[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(k), b.get(k)];
    const path = `${field}[${k}]`;
    if (!x || !y) out.push(change(path, x, y));
    else
      for (const f of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort())
        if (!same(x[f], y[f])) out.push(change(`${path}.${f}`, x[f], y[f]));
  }
  return out;
}
