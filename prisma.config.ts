// Prisma CLI configuration. Offline, the CLI can only run its WASM schema engine through a driver
// adapter (see docs/prisma-offline.md); two adapter-pg bugs that break `migrate dev` are patched here.
import "dotenv/config";
import { randomUUID } from "node:crypto";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// The schema's datasource needs *a* URL even for `prisma generate` (otherwise Prisma tries to
// download a native engine); migrations need the real one.
const databaseUrl = process.env.DATABASE_URL;
process.env.DATABASE_URL ??= "postgresql://unset.invalid/offerplan";

// adapter-pg cannot deserialise pg_catalog columns of type "char" (OID 18); read them as text.
const origQuery = pg.Pool.prototype.query as (...a: unknown[]) => unknown;
(pg.Pool.prototype as { query: unknown }).query = function (this: pg.Pool, ...args: unknown[]) {
  const out = origQuery.apply(this, args);
  if (typeof args[args.length - 1] === "function" || !(out instanceof Promise)) return out;
  return out.then((res: pg.QueryResult) => {
    for (const f of res?.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return res;
  });
};

// adapter-pg's shadow database handling reuses the main database; create and drop a real one.
// Its executeScript also splits migrations on every ";", which breaks dollar-quoted function
// bodies (our immutability trigger): send each script whole, as PostgreSQL's simple query
// protocol allows, which also makes a migration all-or-nothing.
class PrismaPgForMigrate extends PrismaPg {
  constructor(private readonly url: string) {
    super({ connectionString: url });
  }
  override async connect() {
    const conn = await super.connect();
    const driver = conn.underlyingDriver() as pg.Pool;
    conn.executeScript = async (script: string) => {
      await driver.query(script);
    };
    return conn;
  }
  override async connectToShadowDb() {
    const main = await this.connect();
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${name}"`);
    const u = new URL(this.url);
    u.pathname = `/${name}`;
    const shadow = await new PrismaPgForMigrate(u.toString()).connect();
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
      await main.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => {
    if (!databaseUrl) throw new Error("DATABASE_URL is not set (`npx offerplan migrate` sets it)");
    return new PrismaPgForMigrate(databaseUrl);
  },
});
