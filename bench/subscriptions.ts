// How long a plan's change takes to reach its subscribers over WebSocket:
//   npx tsx bench/subscriptions.ts [--subscribers 1,100,1000] [--updates 50]
// An API in this process (createApi, on loopback) serves S graphql-ws clients, all subscribed to
// one queued plan; another connection then commits --updates progress changes, one at a time, and
// each is timed from sending its UPDATE (autocommit) to the moment the last of the S clients has the event
// (trigger → NOTIFY → the server's LISTEN connection → a re-read per subscriber → WebSocket).
// The plan is never run: nothing but the row changes. Dataset: the small imported database that
// bench/support.ts keeps (2,000 customers).
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "graphql-ws";
import { Pool } from "pg";
import pino from "pino";
import WebSocket from "ws";
import { CLI_ACTOR } from "../src/db/audit";
import { migrate } from "../src/db/migrate";
import { createDb } from "../src/db/handle";
import { createPrisma } from "../src/db/prisma";
import { createApi } from "../src/server/app";
import { createApiKey, revokeApiKey } from "../src/services/api-keys";
import { saveConstraintSetByName } from "../src/services/constraint-sets";
import { createPlan } from "../src/services/plans";
import { argValue, benchDataset, importedDatabase } from "./support";

const CUSTOMERS = 2_000;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  const counts = argValue(process.argv, "subscribers", "1,100,1000").split(",").map(Number);
  const updates = Number(argValue(process.argv, "updates", "50"));
  const url = await importedDatabase(CUSTOMERS, 1);
  await migrate(url);
  const pool = new Pool({ connectionString: url, max: 10 });
  const writer = new Pool({ connectionString: url, max: 1 });
  const prisma = createPrisma(url);
  const { apiKey, secret } = await createApiKey(
    createDb(pool, prisma),
    `bench-subs-${process.pid}`,
    "VIEWER",
    CLI_ACTOR,
  );
  // no rate limit: one key opens every subscription at once
  const api = await createApi({
    pool,
    prisma,
    log: pino({ level: "warn" }),
    limits: { rateLimitPerSecond: 0 },
  });
  const port = await api.listen(0);
  const def = JSON.parse(
    await readFile(join(await benchDataset(CUSTOMERS, 1), "constraints.json"), "utf8"),
  );
  const { versionId } = await saveConstraintSetByName(createDb(pool, prisma), {
    ...def,
    name: "subscriptions-bench",
  });
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  try {
    for (const n of counts) {
      const { id } = await createPlan(createDb(pool, prisma), versionId, {
        method: "CLUSTER_LP",
        seed: 1,
      });
      const clients: Client[] = [];
      let waiting: { left: number; done: () => void } | null = null;
      let ready!: () => void;
      let subscribed = 0;
      const allSubscribed = new Promise<void>((r) => (ready = r));
      for (let i = 0; i < n; i++) {
        const client = createClient({
          url: `ws://127.0.0.1:${port}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${secret}` },
          retryAttempts: 0,
        });
        clients.push(client);
        client.subscribe(
          { query: `subscription { planUpdated(id: "${id}") { status progress } }` },
          {
            next: () => {
              if (waiting && --waiting.left === 0) waiting.done();
              else if (!waiting && ++subscribed === n) ready();
            },
            error: (e) => console.error("subscription error", e),
            complete: () => undefined,
          },
        );
      }
      await allSubscribed;
      const ms: number[] = [];
      for (let u = 1; u <= updates; u++) {
        const delivered = new Promise<void>((done) => (waiting = { left: n, done }));
        const t0 = performance.now();
        await writer.query("UPDATE plan SET status = 'RUNNING', progress = $2 WHERE id = $1", [
          id,
          u / (updates + 1),
        ]);
        await delivered;
        ms.push(performance.now() - t0);
        waiting = null;
      }
      await writer.query("UPDATE plan SET status = 'CANCELLED' WHERE id = $1", [id]);
      await Promise.all(clients.map((c) => c.dispose()));
      ms.sort((a, b) => a - b);
      const f = (v: number) => v.toFixed(1);
      console.log(
        `${n} subscriber(s), ${updates} updates: UPDATE → all delivered p50 ${f(quantile(ms, 0.5))} ms, ` +
          `p95 ${f(quantile(ms, 0.95))} ms, max ${f(ms.at(-1)!)} ms`,
      );
    }
  } finally {
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    await api.close();
    await revokeApiKey(createDb(pool, prisma), apiKey.id, CLI_ACTOR);
    await prisma.$disconnect();
    await writer.end();
    await pool.end();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
