// What a plan run is asked for is checked before the plan is queued: more clusters than
// customers, a seed out of range, or a what-if naming offers, channels or segments the dataset
// does not have are refused at their field, and nothing is written.
import { createDb } from "../../../src/services/db-handles";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { writeDataset } from "../../../src/generate";
import { importDataset } from "../../../src/ingest";
import { saveConstraintSetByName } from "../../../src/services/constraint-sets";
import { InputError } from "../../../src/services/errors";
import { getVersion } from "../../../src/services/constraint-sets";
import { createPlan, withOverrides, type RunPlanParameters } from "../../../src/services/plans";
import { createTestDatabase, type TestDatabase } from "../../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let versionId: number;
const CUSTOMERS = 300;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  dir = await mkdtemp(path.join(tmpdir(), "offerplan-run-input-"));
  await writeDataset({ customers: CUSTOMERS, seed: 2, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  versionId = (await saveConstraintSetByName(createDb(db.pool, prisma), def)).versionId;
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const plans = () => prisma.plan.count();

async function refusal(params: Partial<RunPlanParameters>): Promise<InputError> {
  const before = await plans();
  const e = await createPlan(createDb(db.pool, prisma), versionId, {
    method: "CLUSTER_LP",
    ...params,
  }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(await plans()).toBe(before);
  if (!(e instanceof InputError)) throw new Error(`expected an InputError, got ${String(e)}`);
  return e;
}

describe("plan run input", () => {
  it("refuses more clusters than customers", async () => {
    const e = await refusal({ clusters: CUSTOMERS + 1 });
    expect(e.field).toBe("input.clusters");
    expect(e.message).toContain(String(CUSTOMERS));
  });

  it("refuses clusters and seeds beyond their limits", async () => {
    expect((await refusal({ clusters: 1e6 })).message).toContain("100000");
    expect((await refusal({ clusters: 0 })).field).toBe("input.clusters");
    expect((await refusal({ seed: 2 ** 40 })).field).toBe("input.seed");
  });

  it.each([
    [
      { segmentRules: [{ segment: "nobody", offerId: "inv_rrsp", max: 1 }] },
      "segmentRules.0.segment",
    ],
    [
      { segmentRules: [{ segment: "mass", offerId: "no_offer", max: 1 }] },
      "segmentRules.0.offerId",
    ],
    [
      { channelCapacities: [{ channelId: "pigeon", capacity: 5 }] },
      "channelCapacities.0.channelId",
    ],
    [{ offerVolumes: [{ offerId: "no_offer", min: 1 }] }, "offerVolumes.0.offerId"],
    [
      { fatigueRules: [{ maxContacts: 1, windowDays: 7, channelId: "pigeon" }] },
      "fatigueRules.0.channelId",
    ],
    [{ budget: 1e16 }, "budget"],
    // the keyed form names the entry by its key
    [{ channelCapacities: { pigeon: { capacity: 5 } } }, "channelCapacities.pigeon.channelId"],
    [{ offerVolumes: { branch: null } }, "offerVolumes.branch"],
  ])("refuses what-if overrides naming what the dataset lacks (%#)", async (overrides, field) => {
    const e = await refusal({ overrides });
    expect(e.field).toBe(`input.overrides.${field}`);
  });

  it("merges what-if overrides into the version: one capacity changed, the others kept", async () => {
    const saved = (await getVersion(prisma, versionId)).definition;
    const definition = {
      ...saved,
      channelCapacities: [
        { channelId: "branch", capacity: 100 },
        { channelId: "call_centre", capacity: 80 },
      ],
    };
    const [first, ...others] = definition.channelCapacities;
    const merged = withOverrides(definition, {
      channelCapacities: [{ channelId: first!.channelId, capacity: 4 }],
      budget: 123,
    });
    expect(merged.channelCapacities).toEqual([
      { channelId: first!.channelId, capacity: 4 },
      ...others,
    ]);
    expect({ ...merged, channelCapacities: [], budget: 0 }).toEqual({
      ...definition,
      channelCapacities: [],
      budget: 0,
    });
  });

  it("queues a plan whose input is within bounds", async () => {
    const before = await plans();
    await createPlan(createDb(db.pool, prisma), versionId, {
      method: "CLUSTER_LP",
      clusters: CUSTOMERS,
      seed: 2 ** 31 - 1,
      overrides: { budget: 500, segmentRules: [{ segment: "mass", offerId: "inv_rrsp", max: 3 }] },
    });
    expect(await plans()).toBe(before + 1);
  });
});
