import { adminQuery } from "../../src/db/admin";

export default async function globalTeardown(): Promise<void> {
  const server = process.env.OFFERPLAN_TEST_SERVER;
  const template = process.env.OFFERPLAN_TEST_TEMPLATE;
  if (server && template)
    await adminQuery(server, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await globalThis.__offerplanEmbeddedStop?.();
}
