import { Client } from "pg";

export default async function globalTeardown(): Promise<void> {
  const server = process.env.OFFERPLAN_TEST_SERVER;
  const template = process.env.OFFERPLAN_TEST_TEMPLATE;
  if (server && template) {
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  }
  await globalThis.__offerplanEmbeddedStop?.();
}
