// Contact policies at scale, end to end from PostgreSQL:
//   npm run bench -- policies --customers 1000000 [--contacts-per-customer 5] [--methods exact,cluster-lp]
//     [--waves 1]
// A database with the cached dataset plus a contact history of ~5 contacts per customer over the
// 12 months before the campaign date (set-based SQL, seeded) and household_id / risk_score
// attributes (kept between runs as offerplan_bench_c<N>_policies). Then per method a plan with
// one rule of every kind: create, load the instance, evaluate the policies against the history,
// optimise, write. Prints seconds by phase and quality against the certified bound.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Client, Pool } from "pg";
import { adminQuery, databaseUrl } from "../src/db/admin";
import { loadInstance } from "../src/db/instance-loader";
import { migrate } from "../src/db/migrate";
import { createDb } from "../src/db/handle";
import { createPrisma } from "../src/db/prisma";
import type { Method } from "../src/optimize/types";
import { createConstraintSet } from "../src/services/constraint-sets";
import { createPlan, executePlan, planConstraints } from "../src/services/plans";
import { startRssSampler } from "./rss";
import { argValue, benchDataset, importedDatabase } from "./support";

const METHODS: Record<string, Method> = { "cluster-lp": "CLUSTER_LP", exact: "EXACT" };
const CAMPAIGN = "2026-12-01";
const READY = "offerplan bench: policies";

async function policiesDatabase(customers: number, perCustomer: number): Promise<string> {
  const base = await importedDatabase(customers, 1, "default");
  const server = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `offerplan_bench_c${customers}_policies${perCustomer}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  const ready = await admin
    .query<{ c: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1",
      [name],
    )
    .finally(() => admin.end());
  const url = databaseUrl(server, name);
  if (ready.rows[0]?.c === READY) {
    await migrate(url);
    return url;
  }
  const baseName = new URL(base).pathname.slice(1);
  await adminQuery(
    server,
    `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`,
    `CREATE DATABASE ${name} TEMPLATE ${baseName}`,
  );
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const t0 = performance.now();
    await pool.query("SELECT setseed(0.42)");
    const imp = await pool.query<{ id: number }>(
      `INSERT INTO contact_import (file, rows_read, inserted, unchanged, seconds)
       VALUES ('bench: generated history', 0, 0, 0, 0) RETURNING id`,
    );
    // ~perCustomer contacts per customer, any offer and channel, spread over the 365 days before
    await pool.query(
      `INSERT INTO contact_history (customer_id, offer_id, channel_id, contacted_at, import_id)
       SELECT c.id, o.ids[1 + floor(random() * array_length(o.ids, 1))::int],
              ch.ids[1 + floor(random() * array_length(ch.ids, 1))::int],
              $1::timestamptz - make_interval(secs => floor(random() * 365 * 86400)::int), $2
       FROM customer c
       CROSS JOIN generate_series(1, $3) g
       CROSS JOIN (SELECT array_agg(id) AS ids FROM offer) o
       CROSS JOIN (SELECT array_agg(id) AS ids FROM channel) ch
       ON CONFLICT DO NOTHING`,
      [`${CAMPAIGN}T00:00:00Z`, imp.rows[0]!.id, perCustomer],
    );
    // households of 1–4 customers, risk scores in [0, 1)
    await pool.query(
      `UPDATE customer SET attributes = coalesce(attributes, '{}'::jsonb) || jsonb_build_object(
         'household_id', 'h' || ((id * 2) / 5), 'risk_score', ((id::bigint * 7919) % 1000) / 1000.0)`,
    );
    await pool.query("VACUUM ANALYZE");
    const n = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM contact_history");
    await pool.query(`COMMENT ON DATABASE ${name} IS '${READY}'`);
    console.log(
      `history: ${n.rows[0]!.n.toLocaleString("en-US")} contacts and attributes written in ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s (not part of the plan figures)`,
    );
  } finally {
    await pool.end();
  }
  return url;
}

async function main() {
  const argv = process.argv.slice(2);
  const customers = Number(argValue(argv, "customers", "100000"));
  const perCustomer = Number(argValue(argv, "contacts-per-customer", "5"));
  const methods = argValue(argv, "methods", "exact,cluster-lp").split(",");
  const waves = Number(argValue(argv, "waves", "1"));
  const dir = await benchDataset(customers, 1, "default");
  const url = await policiesDatabase(customers, perCustomer);
  const pool = new Pool({ connectionString: url, max: 4 });
  const prisma = createPrisma(url);
  const rss = startRssSampler();
  try {
    const base = JSON.parse(await readFile(join(dir, "constraints.json"), "utf8"));
    const def = {
      ...base,
      name: `policies ${Date.now()}`,
      fatigueRules: [
        { maxContacts: 4, windowDays: 30 },
        { maxContacts: 1, windowDays: 7, channelId: "call_centre" },
      ],
      coolOffRules: [{ days: 90 }],
      exclusionRules: [{ offerIds: ["lend_mortgage", "lend_personal_loan"] }],
      sequencingRules: [{ offerId: "inv_managed", afterOfferId: "inv_rrsp", minDays: 30 }],
      customCapacities: [
        {
          name: "avg_risk_lending",
          attribute: "risk_score",
          aggregate: "AVERAGE",
          max: 0.3,
          offerCategory: "lending",
        },
        {
          name: "call_minutes",
          field: "contacts",
          channelId: "call_centre",
          max: 1e12,
          reportOnly: true,
        },
      ],
      householdRules: [{ maxOffers: 2 }],
      waves:
        waves > 1
          ? Array.from({ length: waves }, (_, w) => ({
              name: `m${w + 1}`,
              offsetDays: 30 * w,
              budget: base.budget ? base.budget / waves : null,
            }))
          : undefined,
    };
    const v = await createConstraintSet(createDb(pool, prisma), def, { checkDataset: true });
    const history = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM contact_history",
    );
    console.log(
      `${customers.toLocaleString("en-US")} customers, ${history.rows[0]!.n.toLocaleString("en-US")} history contacts, ` +
        `${waves} wave(s), 9 rules (one report-only)`,
    );
    if (waves === 1) {
      // the policy facts alone, for the table
      const loaded = await loadInstance(pool);
      const t = performance.now();
      const cons = await planConstraints(pool, def, loaded, CAMPAIGN);
      console.log(
        `policy facts from the history: ${((performance.now() - t) / 1000).toFixed(1)} s ` +
          `(${cons.policies?.length ?? 0} rules)`,
      );
    }
    for (const m of methods) {
      const method = METHODS[m];
      if (!method) throw new Error(`unknown method ${m}`);
      const plan = await createPlan(createDb(pool, prisma), v.versionId, {
        method,
        seed: 1,
        campaignDate: CAMPAIGN,
      });
      rss.resetPeak();
      const t = performance.now();
      const done = await executePlan(pool, prisma, plan.id);
      const total = (performance.now() - t) / 1000;
      const row = await prisma.plan.findUniqueOrThrow({ where: { id: plan.id } });
      const timings = row.timings as Record<string, number>;
      const r = done.result;
      const bound = r.upperBound ?? NaN;
      const violatedOrNot = r.constraintReport.filter(
        (x) =>
          !x.reportOnly &&
          (x.sense === "LE" ? x.activity > x.bound + 1e-6 : x.activity < x.bound - 1e-6),
      );
      console.log(
        `${method.padEnd(10)} ${total.toFixed(1)} s end to end  value ${r.value.toFixed(0)}  bound ${bound.toFixed(0)}  ` +
          `value/bound ${(r.value / bound).toFixed(4)}  rss peak ${(rss.peak() / 2 ** 30).toFixed(2)} GB  ` +
          `violations ${violatedOrNot.length}`,
      );
      console.log(
        "           " +
          Object.entries(timings)
            .map(([k, s]) => `${k} ${s.toFixed(2)}`)
            .join("  "),
      );
      for (const x of r.constraintReport.filter(
        (x) => x.kind !== "capacity" && x.kind !== "offer_min",
      )) {
        console.log(
          `           ${x.name.padEnd(40)} activity ${x.activity.toFixed(3).padStart(14)}  bound ${x.bound.toFixed(3).padStart(14)}  ` +
            `dual ${x.dual === null ? "-" : x.dual.toFixed(4)}${x.binding ? "  binding" : ""}${x.reportOnly ? "  report-only" : ""}`,
        );
      }
    }
  } finally {
    rss.stop();
    await prisma.$disconnect();
    await pool.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
