// `offerplan plan list | cancel | approve | delete` and `offerplan audit list`: what an admin does
// with plans from the command line, through the services the GraphQL API uses.
import type { Command } from "commander";
import type * as AuditTrail from "../../services/audit-trail";
import type { Db } from "../../services/db-handles";
import type * as PlanAdmin from "../../services/plan-admin";
import type * as Plans from "../../services/plans";
import type * as PrismaSession from "../../services/prisma-session";
import { createOutput, money, table, type Output } from "../output";
import { withDatabase } from "../with-database";
import { intOption } from "./options";

// Loaded when a command runs, not at start (src/cli/main.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const admin = (): typeof PlanAdmin => require("../../services/plan-admin");
const plans = (): typeof Plans => require("../../services/plans");
const trail = (): typeof AuditTrail => require("../../services/audit-trail");
const session = (): typeof PrismaSession => require("../../services/prisma-session");
/* eslint-enable @typescript-eslint/no-require-imports */

/** The command line acts as one identity in the audit trail and for approvals. */
const CLI = { name: "cli", keyId: null };

async function run(
  o: { json?: boolean },
  fn: (db: Db, out: Output) => Promise<void>,
): Promise<void> {
  const out = createOutput(o);
  await withDatabase(out, async (db) => {
    await session().withDb(db, (handle) => fn(handle, out));
  });
}

export function registerPlanAdminCommands(plan: Command): void {
  plan
    .command("list")
    .description("plans, newest first: run number of their set, name, status, return")
    .option("--first <n>", "how many", intOption, 20)
    .option("--json", "print JSON")
    .action((o: { first: number; json?: boolean }) =>
      run(o, async ({ prisma }, out) => {
        const list = await admin().listPlans(prisma, o.first);
        if (o.json) return out.json(list);
        out.info(
          table(
            ["id", "name", "run", "status", "method", "expected return", "approved"],
            list.map((p) => [
              p.id,
              p.name ?? "",
              p.run,
              p.status,
              p.method,
              p.expectedReturn === null ? "" : money(p.expectedReturn),
              p.approved ? "yes" : "",
            ]),
          ),
        );
      }),
    );
  plan
    .command("cancel")
    .description("cancel a queued or running plan (it writes nothing)")
    .requiredOption("--plan <id>", "plan id", intOption)
    .option("--json", "print JSON")
    .action((o: { plan: number; json?: boolean }) =>
      run(o, async (db, out) => {
        const p = await plans().cancelPlan(db, o.plan, CLI);
        if (o.json) out.json({ id: p.id, status: p.status });
        else out.info(`plan ${p.id} cancelled`);
      }),
    );
  plan
    .command("approve")
    .description("approve a SUCCEEDED plan (another identity than the one that ran it)")
    .requiredOption("--plan <id>", "plan id", intOption)
    .option("--json", "print JSON")
    .action((o: { plan: number; json?: boolean }) =>
      run(o, async (db, out) => {
        const p = await admin().approvePlan(db, o.plan, CLI);
        if (o.json) out.json({ id: p.id, approvedAt: p.approvedAt, approvedBy: p.approvedBy });
        else out.info(`plan ${p.id} approved`);
      }),
    );
  plan
    .command("delete")
    .description(
      "delete a finished plan and its rows (not a committed one); the audit trail keeps a record",
    )
    .requiredOption("--plan <id>", "plan id", intOption)
    .option("--json", "print JSON")
    .action((o: { plan: number; json?: boolean }) =>
      run(o, async ({ pool }, out) => {
        await admin().deletePlan(pool, o.plan, CLI);
        if (o.json) out.json({ id: o.plan, deleted: true });
        else out.info(`plan ${o.plan} deleted`);
      }),
    );
}

export function registerAuditCommands(program: Command): void {
  program
    .command("audit")
    .description("the audit trail")
    .command("list")
    .description("administrative actions, newest first")
    .option("--subject-type <type>", "constraint_set, plan or api_key")
    .option("--subject <id>", "one object's actions")
    .option("--first <n>", "how many", intOption, 50)
    .option("--json", "print JSON")
    .action((o: { subjectType?: string; subject?: string; first: number; json?: boolean }) =>
      run(o, async ({ pool }, out) => {
        const events = await trail().auditEvents(pool, {
          subjectType: o.subjectType,
          subjectId: o.subject,
          first: o.first,
        });
        if (o.json) return out.json(events);
        out.info(
          table(
            ["id", "at", "actor", "action", "subject"],
            events.map((e) => [
              e.id,
              e.at.toISOString().slice(0, 19).replace("T", " "),
              e.actor,
              e.action,
              `${e.subjectType} ${e.subjectId}`,
            ]),
          ),
        );
      }),
    );
}
