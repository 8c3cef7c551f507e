// Shared by the results tests: a small imported dataset, and response files simulated from known
// true probabilities (the scores' effective probability × a true factor per offer when contacted,
// a fixed share of it when held out), drawn with a seeded generator.
import { createDb } from "../../../src/services/db-handles";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Pool } from "pg";
import { createPrisma, type PrismaClient } from "../../../src/db/prisma";
import { writeDataset } from "../../../src/generate";
import { importDataset } from "../../../src/ingest";
import { Rng } from "../../../src/optimize/rng";
import { saveConstraintSetByName } from "../../../src/services/constraint-sets";
import { createTestDatabase, type TestDatabase } from "../../support/db";

export interface ResultsFixture {
  db: TestDatabase;
  prisma: PrismaClient;
  dir: string;
  versionId: number;
  close(): Promise<void>;
}

export async function resultsFixture(customers = 2000): Promise<ResultsFixture> {
  const db = await createTestDatabase();
  const prisma = createPrisma(db.url);
  const dir = await mkdtemp(path.join(tmpdir(), "offerplan-results-"));
  await writeDataset({ customers, seed: 5, profile: "default", outDir: dir });
  await importDataset(db.pool, dir);
  const def = JSON.parse(await readFile(path.join(dir, "constraints.json"), "utf8"));
  const { versionId } = await saveConstraintSetByName(createDb(db.pool, prisma), {
    ...def,
    budget: 1500,
  });
  return {
    db,
    prisma,
    dir,
    versionId,
    async close() {
      await prisma.$disconnect();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** the true response probability when contacted, relative to the score, per offer */
export const TRUE_FACTOR: Record<string, number> = {
  inv_mutual_funds: 1.6,
  inv_rrsp: 1.3,
  lend_mortgage: 0.5,
  lend_line_of_credit: 0.7,
};
export const trueFactor = (offer: string) => TRUE_FACTOR[offer] ?? 1;
/** response probability without contact, as a share of the score */
export const ORGANIC = 0.3;

export interface AssignmentRow {
  customer: string;
  offer: string;
  channel: string;
  group: "treatment" | "control";
  probability: number;
}

export async function assignments(pool: Pool, planId: number): Promise<AssignmentRow[]> {
  const { rows } = await pool.query<AssignmentRow>(
    `SELECT cu.external_id AS customer, o.external_id AS offer, ch.external_id AS channel,
            a."group" AS "group", eo.probability
     FROM plan_assignment a
     JOIN customer cu ON cu.id = a.customer_id
     JOIN offer o ON o.id = a.offer_id JOIN channel ch ON ch.id = a.channel_id
     JOIN eligible_option eo
       ON eo.customer_id = a.customer_id AND eo.offer_id = a.offer_id AND eo.channel_id = a.channel_id
     WHERE a.plan_id = $1 ORDER BY cu.external_id, o.external_id`,
    [planId],
  );
  return rows;
}

/**
 * Writes a response file for every assignment of the plan: responded drawn from the true
 * probability, revenue 120 per responder; every other row leaves channel_id empty (= the
 * assigned one); an extra column is kept as an attribute. Returns the file's path.
 */
export async function simulatedResponses(
  pool: Pool,
  planId: number,
  dir: string,
  seed: number,
  factor: (offer: string) => number = trueFactor,
): Promise<string> {
  const rng = new Rng(seed);
  const lines = ["customer_id,offer_id,channel_id,responded,revenue,campaign"];
  (await assignments(pool, planId)).forEach((a, i) => {
    const p =
      a.group === "treatment"
        ? Math.min(1, a.probability * factor(a.offer))
        : ORGANIC * a.probability;
    const responded = rng.float() < p;
    lines.push(
      `${a.customer},${a.offer},${i % 2 ? a.channel : ""},${responded},${responded ? 120 : ""},"Q3, wave ${planId}"`,
    );
  });
  const file = path.join(dir, `responses-${planId}-${seed}.csv`);
  await writeFile(file, lines.join("\r\n") + "\r\n");
  return file;
}
