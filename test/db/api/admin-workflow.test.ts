// An admin's workflow over GraphQL and the CLI: constraint sets created, patched (a part changes,
// nothing else is lost), diffed, restored, archived and unarchived, each with a note and an audit
// record; named plans run, approved by another ADMIN before they are committed (this server
// requires approval), deleted unless committed; the audit trail read back. Bad changes are
// refused at their field with nothing written.
import {
  createApiKeyInDatabase,
  dbId,
  startApiServer,
  type ApiServer,
} from "../../support/api-server";
import { createTestDatabase, type TestDatabase } from "../../support/db";
import { runCli } from "../../support/cli";
import {
  EMPTY_FOOTPRINT,
  failure,
  generatedDataset,
  ok,
  planFootprint,
  pollPlan,
  type GeneratedDataset,
} from "./helpers";

let db: TestDatabase;
let data: GeneratedDataset;
let server: ApiServer;
let key: string;
let otherAdmin: string;

const SET = {
  name: "Q1 retention",
  budget: 40000,
  hurdleRate: 0.2,
  channelCapacities: [
    { channelId: "branch", capacity: 900 },
    { channelId: "call_centre", capacity: 800 },
  ],
  offerVolumes: [{ offerId: "inv_gic", min: 10 }],
};

const CHANGES = "changes { path kind old new }";
const VERSION = `version { id version note createdBy budget hurdleRate
  channelCapacities { channelId capacity } offerVolumes { offerId min max } }`;

interface Payload {
  constraintSet: { id: string; name: string };
  version: {
    id: string;
    version: number;
    note: string | null;
    createdBy: string | null;
    budget: number | null;
    hurdleRate: number | null;
    channelCapacities: { channelId: string; capacity: number }[];
    offerVolumes: { offerId: string; min: number | null; max: number | null }[];
  };
  changes: { path: string; kind: string; old: unknown; new: unknown }[];
}

const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
  server.gql<T>(query, variables, key);

const counts = async () =>
  (
    await db.pool.query<{ sets: number; versions: number; audits: number }>(
      `SELECT (SELECT count(*)::int FROM constraint_set) AS sets,
              (SELECT count(*)::int FROM constraint_set_version) AS versions,
              (SELECT count(*)::int FROM audit_event WHERE subject_type = 'constraint_set') AS audits`,
    )
  ).rows[0]!;

let setId: string;
let v1: Payload["version"];

beforeAll(async () => {
  db = await createTestDatabase();
  [data, server, { secret: key }, { secret: otherAdmin }] = await Promise.all([
    generatedDataset(2_000, 11),
    startApiServer({
      databaseUrl: db.url,
      workers: 1,
      env: { OFFERPLAN_REQUIRE_APPROVAL: "true" },
    }),
    createApiKeyInDatabase(db.url, "ADMIN", "ada"),
    createApiKeyInDatabase(db.url, "ADMIN", "grace"),
  ]);
  ok(
    await gql(`mutation ($dir: String!) { importDataset(dir: $dir) { changed } }`, {
      dir: data.dir,
    }),
  );
  const created = ok(
    await gql<{ createConstraintSet: Payload }>(
      `mutation ($input: ConstraintSetInput!) {
        createConstraintSet(input: $input, note: "first cut") { constraintSet { id name } ${VERSION} ${CHANGES} } }`,
      { input: SET },
    ),
  ).createConstraintSet;
  setId = created.constraintSet.id;
  v1 = created.version;
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  await data?.remove();
});

const latestVersionId = async () =>
  (
    await db.pool.query<{ id: number }>(
      "SELECT max(id)::int AS id FROM constraint_set_version WHERE constraint_set_id = $1",
      [dbId(setId)],
    )
  ).rows[0]!.id;

const patch = (p: unknown, note?: string) =>
  gql<{ patchConstraintSet: Payload }>(
    `mutation ($id: ID!, $patch: JSONObject!, $note: String) {
      patchConstraintSet(id: $id, patch: $patch, note: $note) { constraintSet { id name } ${VERSION} ${CHANGES} } }`,
    { id: setId, patch: p, note },
  );

describe("constraint-set workflow", () => {
  it("records the first version's note and author", () => {
    expect(v1).toMatchObject({ version: 1, note: "first cut", createdBy: "ada", budget: 40000 });
  });

  it("patches the budget and keeps every other rule (a revise of only a budget lost them)", async () => {
    const p = ok(await patch({ budget: 25000 }, "tighter budget")).patchConstraintSet;
    expect(p.version).toMatchObject({
      version: 2,
      note: "tighter budget",
      budget: 25000,
      hurdleRate: 0.2,
      channelCapacities: SET.channelCapacities,
      offerVolumes: [{ offerId: "inv_gic", min: 10, max: null }],
    });
    expect(p.changes).toEqual([{ path: "budget", kind: "CHANGED", old: 40000, new: 25000 }]);
  });

  it("changes one capacity by its channel and removes another with null", async () => {
    const p = ok(
      await patch({ channelCapacities: { branch: { capacity: 400 }, call_centre: null } }),
    ).patchConstraintSet;
    expect(p.version.channelCapacities).toEqual([{ channelId: "branch", capacity: 400 }]);
    expect(p.changes.map((c) => [c.path, c.kind])).toEqual([
      ["channelCapacities[branch].capacity", "CHANGED"],
      ["channelCapacities[call_centre]", "REMOVED"],
    ]);
  });

  it("diffs any two versions", async () => {
    const last = ok(
      await gql<{ constraintSet: { latestVersion: { id: string } } }>(
        `query ($id: ID!) { constraintSet(id: $id) { latestVersion { id } } }`,
        { id: setId },
      ),
    ).constraintSet.latestVersion.id;
    const diff = ok(
      await gql<{ constraintSetDiff: Payload["changes"] }>(
        `query ($a: ID!, $b: ID!) { constraintSetDiff(from: $a, to: $b) { path kind old new } }`,
        { a: v1.id, b: last },
      ),
    ).constraintSetDiff;
    expect(diff).toEqual([
      { path: "budget", kind: "CHANGED", old: 40000, new: 25000 },
      { path: "channelCapacities[branch].capacity", kind: "CHANGED", old: 900, new: 400 },
      {
        path: "channelCapacities[call_centre]",
        kind: "REMOVED",
        old: { channelId: "call_centre", capacity: 800 },
        new: null,
      },
    ]);
  });

  it("restores an old version as a new one", async () => {
    const r = ok(
      await gql<{ restoreConstraintSetVersion: Payload }>(
        `mutation ($id: ID!, $v: ID!) { restoreConstraintSetVersion(id: $id, versionId: $v) { ${VERSION} ${CHANGES} } }`,
        { id: setId, v: v1.id },
      ),
    ).restoreConstraintSetVersion;
    expect(r.version).toMatchObject({
      version: 4,
      note: "restores version 1",
      budget: 40000,
      channelCapacities: SET.channelCapacities,
    });
    expect(r.changes.length).toBe(3);
  });

  it("refuses bad changes at their field, writing nothing", async () => {
    const before = await counts();
    const unknown = failure(await patch({ channelCapacities: { pigeon: { capacity: 5 } } }));
    expect(unknown).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "patch.channelCapacities.pigeon.channelId",
    });
    const offer = failure(await patch({ offerVolumes: [{ offerId: "no_such_offer", min: 1 }] }));
    expect(offer).toMatchObject({ code: "BAD_USER_INPUT", field: "patch.offerVolumes.0.offerId" });
    const missing = failure(await patch({ channelCapacities: { mail: null } }));
    expect(missing).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "patch.channelCapacities.mail",
    });
    const other = ok(
      await gql<{ createConstraintSet: Payload }>(
        `mutation ($input: ConstraintSetInput!) { createConstraintSet(input: $input) { ${VERSION} } }`,
        { input: { name: "Other set" } },
      ),
    ).createConstraintSet.version.id;
    const afterOther = await counts();
    const foreign = failure(
      await gql(
        `mutation ($id: ID!, $v: ID!) { restoreConstraintSetVersion(id: $id, versionId: $v) { created } }`,
        { id: setId, v: other },
      ),
    );
    expect(foreign).toMatchObject({ code: "BAD_USER_INPUT", field: "versionId" });
    const duplicate = failure(
      await gql(
        `mutation ($input: ConstraintSetInput!) { createConstraintSet(input: $input) { created } }`,
        { input: { name: "q1 RETENTION" } },
      ),
    );
    expect(duplicate.code).toBe("CONFLICT");
    expect(duplicate.message).toContain('"q1 RETENTION" exists already');
    expect(await counts()).toEqual(afterOther);
    expect(afterOther).toEqual({
      sets: before.sets + 1,
      versions: before.versions + 1,
      audits: before.audits + 1,
    });
  });

  it("makes an archived set read-only until it is unarchived", async () => {
    ok(
      await gql(`mutation ($id: ID!) { archiveConstraintSet(id: $id) { archived } }`, {
        id: setId,
      }),
    );
    const refused = failure(await patch({ budget: 1 }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("unarchive it");
    const back = ok(
      await gql<{ unarchiveConstraintSet: { archived: boolean } }>(
        `mutation ($id: ID!) { unarchiveConstraintSet(id: $id) { archived } }`,
        { id: setId },
      ),
    );
    expect(back.unarchiveConstraintSet.archived).toBe(false);
    expect(ok(await patch({ budget: 30000 })).patchConstraintSet.version.version).toBe(5);
  });

  it("leaves an audit record of every change, with who and which versions", async () => {
    const { rows } = await db.pool.query<{ actor: string; action: string; after: unknown }>(
      `SELECT actor, action, after FROM audit_event WHERE subject_type = 'constraint_set'
         AND subject_id = $1 ORDER BY id`,
      [String(dbId(setId))],
    );
    expect(rows.map((r) => r.action)).toEqual([
      "constraint_set.create",
      "constraint_set.patch",
      "constraint_set.patch",
      "constraint_set.restore",
      "constraint_set.archive",
      "constraint_set.unarchive",
      "constraint_set.patch",
    ]);
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(["ada"]));
    expect(rows[3]!.after).toMatchObject({ version: 4, restoredVersion: 1 });
  });

  it("lists, shows, diffs and patches from the command line too", async () => {
    const cli = (...args: string[]) => runCli(db.url, "constraints", ...args);
    const list = await cli("list", "--json");
    expect(list.code).toBe(0);
    const sets = JSON.parse(list.stdout) as { id: number; name: string; latestVersion: number }[];
    expect(sets.find((s) => s.id === dbId(setId))).toMatchObject({
      name: "Q1 retention",
      latestVersion: 5,
    });
    const patched = await cli(
      "patch",
      String(dbId(setId)),
      "--patch",
      '{"hurdleRate": null}',
      "--note",
      "no hurdle",
      "--json",
    );
    expect(patched.code).toBe(0);
    expect(JSON.parse(patched.stdout)).toMatchObject({
      version: 6,
      changes: [{ path: "hurdleRate", kind: "removed", old: 0.2, new: null }],
    });
    const latest = (
      await db.pool.query<{ id: number }>(
        "SELECT max(id) AS id FROM constraint_set_version WHERE constraint_set_id = $1",
        [dbId(setId)],
      )
    ).rows[0]!.id;
    const diff = await cli("diff", String(dbId(v1.id)), String(latest), "--json");
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout).map((c: { path: string }) => c.path)).toEqual([
      "budget",
      "hurdleRate",
    ]);
    const show = await cli("show", String(dbId(setId)));
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("version 6");
    expect(show.stdout).toContain("no hurdle");
    const bad = await cli(
      "patch",
      String(dbId(setId)),
      "--patch",
      '{"channelCapacities": {"pigeon": {"capacity": 1}}}',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("patch.channelCapacities.pigeon.channelId");
  });
});

describe("plans", () => {
  const PLAN = `id name notes requestedBy status approvedAt approvedBy approvalRequired`;
  interface PlanOut {
    id: string;
    name: string | null;
    notes: string | null;
    requestedBy: string | null;
    status: string;
    approvedAt: string | null;
    approvedBy: string | null;
    approvalRequired: boolean;
  }
  const as =
    (secret: string) =>
    <T>(query: string, variables: Record<string, unknown> = {}) =>
      server.gql<T>(query, variables, secret);
  const run = async (name: string) => {
    const { runPlan } = ok(
      await gql<{ runPlan: PlanOut }>(
        `mutation ($id: ID!, $name: String) { runPlan(input: { constraintSetId: $id, method: GREEDY, name: $name, notes: "pilot" }) { ${PLAN} } }`,
        { id: setId, name },
      ),
    );
    await pollPlan(server, key, runPlan.id, undefined, { timeoutMs: 60_000 });
    return runPlan;
  };
  const commit = (id: string) =>
    gql(
      `mutation ($id: ID!) { commitPlan(id: $id, campaignDate: "2026-12-10T00:00:00Z") { contacts } }`,
      {
        id,
      },
    );
  let first: PlanOut;
  let second: PlanOut;

  beforeAll(async () => {
    first = await run("December pilot");
    second = await run("scratch");
  });

  it("carries a name, notes and who asked", () => {
    expect(first).toMatchObject({
      name: "December pilot",
      notes: "pilot",
      requestedBy: "ada",
      approvedAt: null,
      approvalRequired: true,
    });
  });

  it("is committed only after another ADMIN approved it", async () => {
    const early = failure(await commit(first.id));
    expect(early.code).toBe("CONFLICT");
    expect(early.message).toContain("not approved");
    const self = failure(
      await gql(`mutation ($id: ID!) { approvePlan(id: $id) { id } }`, { id: first.id }),
    );
    expect(self.code).toBe("CONFLICT");
    expect(self.message).toContain("another ADMIN must approve it");
    const approved = ok(
      await as(otherAdmin)<{ approvePlan: PlanOut }>(
        `mutation ($id: ID!) { approvePlan(id: $id) { ${PLAN} } }`,
        { id: first.id },
      ),
    ).approvePlan;
    expect(approved).toMatchObject({ approvedBy: "grace" });
    expect(approved.approvedAt).not.toBeNull();
    ok(await commit(first.id));
  });

  it("deletes a plan with its rows, but keeps a committed one", async () => {
    const kept = failure(
      await gql(`mutation ($id: ID!) { deletePlan(id: $id) }`, { id: first.id }),
    );
    expect(kept.code).toBe("CONFLICT");
    expect(kept.message).toContain("committed");
    expect(
      ok(
        await gql<{ deletePlan: string }>(`mutation ($id: ID!) { deletePlan(id: $id) }`, {
          id: second.id,
        }),
      ).deletePlan,
    ).toBe(second.id);
    expect(await planFootprint(db.pool, second.id)).toEqual(EMPTY_FOOTPRINT);
    expect(
      ok(await gql<{ plan: null }>(`query ($id: ID!) { plan(id: $id) { id } }`, { id: second.id }))
        .plan,
    ).toBeNull();
  });

  it("reads the audit trail: who ran, approved, committed and deleted which plan", async () => {
    type Event = { actor: string; action: string; subjectId: string };
    type Trail = { auditEvents: { totalCount: number; edges: { node: Event; cursor: string }[] } };
    const trail = ok(
      await gql<Trail>(
        `{ auditEvents(subjectType: "plan") { totalCount edges { cursor node { actor action subjectId } } } }`,
      ),
    ).auditEvents;
    const events = trail.edges.map((e) => e.node);
    expect(trail.totalCount).toBe(5);
    // backward from the third event: the two before it in the list, the newest two
    const newer = ok(
      await gql<Trail>(
        `query ($before: String) { auditEvents(subjectType: "plan", last: 2, before: $before) {
          totalCount edges { cursor node { actor action subjectId } } } }`,
        { before: trail.edges[2]!.cursor },
      ),
    ).auditEvents;
    expect(newer.edges.map((e) => e.node)).toEqual(events.slice(0, 2));
    expect(events.map((e) => [e.actor, e.action, e.subjectId])).toEqual([
      ["ada", "plan.delete", second.id],
      ["ada", "plan.commit", first.id],
      ["grace", "plan.approve", first.id],
      ["ada", "plan.run", second.id],
      ["ada", "plan.run", first.id],
    ]);
    const viewer = await createApiKeyInDatabase(db.url, "VIEWER", "vic");
    expect(failure(await as(viewer.secret)(`{ auditEvents { totalCount } }`)).code).toBe(
      "FORBIDDEN",
    );
  });

  it("lists plans as runs of a set version, and the trail, from the command line", async () => {
    const list = await runCli(db.url, "plan", "list", "--json");
    expect(list.code).toBe(0);
    const plans = JSON.parse(list.stdout) as { id: number; name: string; run: string }[];
    expect(plans.find((p) => p.id === dbId(first.id))).toMatchObject({
      name: "December pilot",
      run: expect.stringMatching(/^run \d+ of Q1 retention v\d+$/),
    });
    const audit = await runCli(db.url, "audit", "list", "--subject-type", "plan", "--json");
    expect(audit.code).toBe(0);
    expect((JSON.parse(audit.stdout) as { action: string }[])[0]!.action).toBe("plan.delete");
    const { runPlan: whatIf } = ok(
      await gql<{ runPlan: PlanOut }>(
        `mutation ($id: ID!) { runPlan(input: { constraintSetId: $id, method: GREEDY, overrides: { budget: 12345 } }) { id } }`,
        { id: setId },
      ),
    );
    await pollPlan(server, key, whatIf.id, undefined, { timeoutMs: 60_000 });
    const show = await runCli(db.url, "plan", "show", "--plan", String(dbId(whatIf.id)));
    expect(show.stdout).toContain("what-if on that version: budget 30000 → 12345");
    const refused = await runCli(db.url, "plan", "delete", "--plan", String(dbId(first.id)));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("committed");
  });

  it("shows a what-if's base plan in GraphQL, plan show, the report and bi.plans", async () => {
    const whatIf = async (extra: string) => {
      const res = await gql<{ runPlan: { id: string; basePlan: { id: string } | null } }>(
        `mutation ($id: ID!) { runPlan(input: { constraintSetId: $id, method: GREEDY, overrides: { budget: 20000 } ${extra} }) { id basePlan { id } } }`,
        { id: setId },
      );
      return res;
    };
    // the newest SUCCEEDED plain run of the version: the second was deleted, the what-ifs skipped
    const byDefault = ok(await whatIf("")).runPlan;
    expect(byDefault.basePlan).toEqual({ id: first.id });
    const named = ok(await whatIf(`, basePlanId: "${first.id}"`)).runPlan;
    expect(named.basePlan).toEqual({ id: first.id });
    await pollPlan(server, key, named.id, undefined, { timeoutMs: 60_000 });

    const [firstId, namedId] = [dbId(first.id), dbId(named.id)];
    const show = await runCli(db.url, "plan", "show", "--plan", String(namedId));
    expect(show.stdout).toMatch(
      new RegExp(
        `what-if of plan ${firstId} "December pilot" \\(run \\d+\\): expected return \\$[\\d,.]+ there, \\$[\\d,.]+ here, [+−]\\$`,
      ),
    );
    const html = await runCli(db.url, "report", "--plan", String(namedId), "--format", "html");
    expect(html.code).toBe(0);
    expect(html.stdout).toContain("What-if of");
    expect(html.stdout).toContain(`plan ${firstId} &quot;December pilot&quot;`);
    const bi = await db.pool.query(
      `SELECT plan_id, base_plan_id, scenario, name, approved_by FROM bi.plans
       WHERE plan_id IN ($1, $2) ORDER BY plan_id`,
      [firstId, namedId],
    );
    expect(bi.rows).toEqual([
      {
        plan_id: firstId,
        base_plan_id: null,
        scenario: false,
        name: "December pilot",
        approved_by: "grace",
      },
      {
        plan_id: namedId,
        base_plan_id: firstId,
        scenario: true,
        name: null,
        approved_by: null,
      },
    ]);

    const plans = async () =>
      (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM plan")).rows[0]!.n;
    const before = await plans();
    const plain = failure(
      await gql(
        `mutation ($id: ID!) { runPlan(input: { constraintSetId: $id, method: GREEDY, basePlanId: "${first.id}" }) { id } }`,
        { id: setId },
      ),
    );
    expect(plain.code).toBe("BAD_USER_INPUT");
    expect(plain.message).toContain("input.basePlanId: a base plan is for a what-if");
    // a new version of the set: the first plan ran the one before it
    ok(await patch({ hurdleRate: 0.21 }, "hurdle up"));
    const otherVersion = failure(await whatIf(`, basePlanId: "${first.id}"`));
    expect(otherVersion.code).toBe("BAD_USER_INPUT");
    expect(otherVersion.message).toMatch(/a what-if varies a plan of its own version/);
    const cli = await runCli(
      db.url,
      "plan",
      "run",
      "--constraints",
      String(await latestVersionId()),
      "--method",
      "greedy",
      "--overrides",
      '{"budget": 20000}',
      "--base-plan",
      String(firstId),
    );
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("--base-plan: plan");
    expect(await plans()).toBe(before);
  });

  it("approves and cancels from the command line, under the same rules", async () => {
    const byAda = await run("for the command line");
    const adaId = String(dbId(byAda.id));
    expect(await runCli(db.url, "plan", "approve", "--plan", adaId)).toMatchObject({
      code: 0,
      stdout: `plan ${adaId} approved\n`,
    });
    const approved = ok(
      await gql<{ plan: PlanOut }>(`query ($id: ID!) { plan(id: $id) { ${PLAN} } }`, {
        id: byAda.id,
      }),
    ).plan;
    expect(approved.approvedBy).toBe("cli");
    const again = await runCli(db.url, "plan", "approve", "--plan", adaId);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^offerplan: plan \d+ was already approved at /);
    // a plan the command line ran needs an API key's approval
    const ran = await runCli(
      db.url,
      "plan",
      "run",
      "--constraints",
      String(await latestVersionId()),
      "--method",
      "greedy",
      "--json",
    );
    expect(ran.code).toBe(0);
    const cliPlan = String((JSON.parse(ran.stdout) as { id: number }).id);
    const self = await runCli(db.url, "plan", "approve", "--plan", cliPlan);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain("another ADMIN must approve it");

    // a plan no worker has taken: queued without a job
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO plan (version_number, constraint_set_version_id, method)
       VALUES (900, $1, 'GREEDY') RETURNING id`,
      [await latestVersionId()],
    );
    const queued = String(rows[0]!.id);
    expect(await runCli(db.url, "plan", "cancel", "--plan", queued)).toMatchObject({
      code: 0,
      stdout: `plan ${queued} cancelled\n`,
    });
    const state = await db.pool.query(
      `SELECT p.status, e.actor, e.action FROM plan p
       JOIN audit_event e ON e.subject_type = 'plan' AND e.subject_id = p.id::text
       WHERE p.id = $1`,
      [queued],
    );
    expect(state.rows).toEqual([{ status: "CANCELLED", actor: "cli", action: "plan.cancel" }]);
    const twice = await runCli(db.url, "plan", "cancel", "--plan", queued);
    expect([twice.code, twice.stderr]).toEqual([
      1,
      `offerplan: plan ${queued} is already CANCELLED\n`,
    ]);
    const deleted = await runCli(db.url, "plan", "delete", "--plan", queued, "--json");
    expect([deleted.code, JSON.parse(deleted.stdout)]).toEqual([0, { id: +queued, deleted: true }]);
    const missing = await runCli(db.url, "plan", "cancel", "--plan", "999999");
    expect([missing.code, missing.stderr]).toEqual([1, "offerplan: plan 999999 does not exist\n"]);
  });
});
