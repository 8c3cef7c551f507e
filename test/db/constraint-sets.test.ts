import { createDb, type Db } from "../../src/services/db-handles";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import {
  ConstraintSetInputError,
  createConstraintSet,
  getVersion,
  reviseConstraintSet,
  saveConstraintSetByName,
} from "../../src/services/constraint-sets";
import { ConflictError } from "../../src/services/errors";
import { createTestDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let prisma: PrismaClient;
let handle: Db;
beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url);
  handle = createDb(db.pool, prisma);
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
});

const base = { name: "Q3", budget: 1000, hurdleRate: 0.2 };

describe("constraint sets", () => {
  it("versions changed definitions and keeps unchanged ones", async () => {
    const v1 = await createConstraintSet(handle, base);
    expect(v1).toMatchObject({ version: 1, created: true });
    const same = await reviseConstraintSet(handle, v1.constraintSetId, {
      ...base,
    });
    expect(same).toMatchObject({ versionId: v1.versionId, version: 1, created: false });
    const v2 = await reviseConstraintSet(handle, v1.constraintSetId, {
      ...base,
      budget: 2000,
    });
    expect(v2).toMatchObject({ version: 2, created: true });
    expect((await getVersion(prisma, v1.versionId)).definition.budget).toBe(1000);
    expect((await getVersion(prisma, v2.versionId)).definition.budget).toBe(2000);
  });

  it("saves by name: the CLI's constraints file revises the set of that name", async () => {
    const a = await saveConstraintSetByName(handle, {
      name: "by-name",
      budget: 5,
    });
    const b = await saveConstraintSetByName(handle, {
      name: "by-name",
      budget: 5,
    });
    const c = await saveConstraintSetByName(handle, {
      name: "by-name",
      budget: 6,
    });
    expect([a.version, b.version, c.version]).toEqual([1, 1, 2]);
    expect(new Set([a.constraintSetId, b.constraintSetId, c.constraintSetId]).size).toBe(1);
  });

  it("refuses a name another set has, whatever its case, and writes nothing", async () => {
    const taken = await createConstraintSet(handle, { ...base, name: "Taken" });
    const other = await createConstraintSet(handle, { ...base, name: "other" });
    const before = await prisma.constraintSetVersion.count();
    await expect(createConstraintSet(handle, { ...base, name: "TAKEN" })).rejects.toThrow(
      'a constraint set named "TAKEN" exists already (names ignore case)',
    );
    await expect(
      reviseConstraintSet(handle, other.constraintSetId, { ...base, name: "taken" }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await prisma.constraintSetVersion.count()).toBe(before);
    expect((await getVersion(prisma, taken.versionId)).definition.name).toBe("Taken");
  });

  it("rejects invalid input with field paths and writes nothing", async () => {
    const before = await prisma.constraintSetVersion.count();
    const err = await createConstraintSet(handle, {
      ...base,
      budget: -1,
      offerVolumes: [{ offerId: "x", min: 1.5 }],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConstraintSetInputError);
    expect((err as ConstraintSetInputError).problems.map((p) => p.path).sort()).toEqual([
      "budget",
      "offerVolumes.0.min",
    ]);
    expect(await prisma.constraintSetVersion.count()).toBe(before);
  });
});
