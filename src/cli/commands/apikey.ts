// `offerplan apikey create | list | revoke`: API keys for the GraphQL API.
import type { Command } from "commander";
import type * as ApiKeys from "../../services/api-keys";
import type * as PrismaSession from "../../services/prisma-session";
import { createOutput, table } from "../output";
import { withDatabase } from "../with-database";
import { intOption } from "./options";

// Loaded when a key command runs, not at start (src/cli/main.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const apiKeys = (): typeof ApiKeys => require("../../services/api-keys");
const session = (): typeof PrismaSession => require("../../services/prisma-session");
/* eslint-enable @typescript-eslint/no-require-imports */

export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command("apikey").description("API keys for the GraphQL API");
  apikey
    .command("create")
    .description("create a key; its secret is printed once")
    .requiredOption("--role <role>", "VIEWER | ANALYST | ADMIN")
    .requiredOption("--name <name>", "who or what uses the key")
    .option("--json", "print JSON")
    .action(async (o: { role: string; name: string; json?: boolean }) => {
      const out = createOutput(o);
      const role = apiKeys().parseRole(o.role, "--role");
      await withDatabase(out, async (db) => {
        await session().withDb(db, async (handle) => {
          const { apiKey, secret } = await apiKeys().createApiKey(
            handle,
            o.name,
            role,
            apiKeys().CLI_ACTOR,
          );
          if (o.json) out.json({ id: apiKey.id, name: apiKey.name, role: apiKey.role, secret });
          else {
            out.info(
              `API key ${apiKey.id} "${apiKey.name}" (${apiKey.role}); keep it, it is not shown again:`,
            );
            out.info(secret);
          }
        });
      });
    });
  apikey
    .command("list")
    .description("list keys (never their secrets)")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const out = createOutput(o);
      await withDatabase(out, async (db) => {
        await session().withPrisma(db.url, async (prisma) => {
          const keys = await apiKeys().listApiKeys(prisma);
          if (o.json) out.json(keys.map(({ keyHash: _h, ...k }) => k));
          else
            out.info(
              table(
                ["id", "name", "role", "prefix", "created", "last used", "revoked"],
                keys.map((k) => [
                  String(k.id),
                  k.name,
                  k.role,
                  k.prefix,
                  k.createdAt.toISOString(),
                  k.lastUsedAt?.toISOString() ?? "",
                  k.revokedAt?.toISOString() ?? "",
                ]),
              ),
            );
        });
      });
    });
  apikey
    .command("revoke")
    .description("revoke a key (it stops working at once on every server)")
    .argument("<id>", "key id", intOption)
    .option("--json", "print JSON")
    .action(async (id: number, o: { json?: boolean }) => {
      const out = createOutput(o);
      await withDatabase(out, async (db) => {
        await session().withDb(db, async (handle) => {
          const k = await apiKeys().revokeApiKey(handle, id, apiKeys().CLI_ACTOR);
          if (o.json) out.json({ id: k.id, name: k.name, revoked: true });
          else out.info(`revoked API key ${k.id} "${k.name}"`);
        });
      });
    });
}
