// Once per test run: find a PostgreSQL server (DATABASE_URL, else the embedded default), migrate
// one template database, and hand both to the test files through the environment.
import { adminQuery, databaseUrl } from "../../src/db/admin";
import { migrate } from "../../src/db/migrate";
import path from "node:path";

declare global {
  var __offerplanEmbeddedStop: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  let server = process.env.DATABASE_URL;
  if (!server) {
    // Only load the embedded server when there is no DATABASE_URL to use.
    const { startEmbedded } = await import("../../src/db/embedded");
    const db = await startEmbedded({
      dir: path.resolve(__dirname, "..", "..", ".offerplan", "test"),
    });
    globalThis.__offerplanEmbeddedStop = () => db.stop();
    server = db.url;
  }
  const template = `offerplan_tpl_${process.pid}`;
  await adminQuery(server, `DROP DATABASE IF EXISTS ${template}`, `CREATE DATABASE ${template}`);
  await migrate(databaseUrl(server, template));
  process.env.OFFERPLAN_TEST_SERVER = server;
  process.env.OFFERPLAN_TEST_TEMPLATE = template;
}
