// `offerplan constraints list | show | diff | patch | restore | archive | unarchive`: constraint
// sets and their versions from the command line, with the services the GraphQL API uses.
import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import type { Change } from "../../domain/constraint-patch";
import type * as History from "../../services/constraint-set-history";
import type * as Sets from "../../services/constraint-sets";
import type * as PrismaSession from "../../services/prisma-session";
import type { Db } from "../../services/db-handles";
import { CliError } from "../errors";
import { createOutput, table, type Output } from "../output";
import { withDatabase } from "../with-database";
import { intOption } from "./options";

// Loaded when a command runs, not at start (src/cli/main.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
const history = (): typeof History => require("../../services/constraint-set-history");
const sets = (): typeof Sets => require("../../services/constraint-sets");
const session = (): typeof PrismaSession => require("../../services/prisma-session");
/* eslint-enable @typescript-eslint/no-require-imports */

async function run(
  o: { json?: boolean },
  fn: (db: Db, out: Output) => Promise<void>,
): Promise<void> {
  const out = createOutput(o);
  await withDatabase(out, async (db) => {
    await session().withDb(db, (handle) => fn(handle, out));
  });
}

const cliSave = (note?: string) => ({ createdBy: "cli", note, checkDataset: true });

function printChanges(out: Output, changes: Change[]): void {
  if (!changes.length) return out.info("no changes");
  const show = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));
  out.info(
    table(
      ["change", "path", "old", "new"],
      changes.map((c) => [c.kind, c.path, show(c.old), show(c.new)]),
    ),
  );
}

function printVersion(out: Output, o: { json?: boolean }, v: Sets.VersionChange): void {
  if (o.json)
    return out.json({
      constraintSetId: v.constraintSetId,
      versionId: v.versionId,
      version: v.version,
      created: v.created,
      changes: v.changes,
    });
  out.info(
    v.created
      ? `constraint set ${v.constraintSetId}: version ${v.version} (id ${v.versionId})`
      : `constraint set ${v.constraintSetId}: unchanged, still version ${v.version}`,
  );
  printChanges(out, v.changes);
}

async function patchText(o: { patch?: string; file?: string }): Promise<unknown> {
  const text = o.file ? await readFile(o.file, "utf8") : o.patch;
  if (!text) throw new CliError("give the patch as --patch JSON or --file FILE", 2);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${o.file ?? "--patch"}: not JSON (${(e as Error).message})`, 2);
  }
}

export function registerConstraintsCommands(program: Command): void {
  const c = program
    .command("constraints")
    .description("constraint sets and their versions: list, show, diff, patch, restore, archive");
  registerReadCommands(c);
  registerVersionCommands(c);
}

/** list, show, diff: read the sets and their versions. */
function registerReadCommands(c: Command): void {
  c.command("list")
    .description("constraint sets with their latest version")
    .option("--archived", "include archived sets")
    .option("--json", "print JSON")
    .action((o: { archived?: boolean; json?: boolean }) =>
      run(o, async ({ prisma }, out) => {
        const all = await history().constraintSetHistory(prisma, { includeArchived: o.archived });
        const rows = all.map((s) => ({
          id: s.id,
          name: s.name,
          archived: s.archived,
          latestVersion: s.latestVersion,
          latestVersionId: s.latestVersionId,
        }));
        if (o.json) return out.json(rows);
        out.info(
          table(
            ["id", "name", "latest version", "version id", "archived"],
            rows.map((r) => [
              r.id,
              r.name,
              r.latestVersion,
              r.latestVersionId,
              r.archived ? "yes" : "",
            ]),
          ),
        );
      }),
    );
  c.command("show")
    .description("a set's versions, newest first, with their notes")
    .argument("<set>", "constraint set id", intOption)
    .option("--json", "print JSON")
    .action((id: number, o: { json?: boolean }) =>
      run(o, async ({ prisma }, out) => {
        const [s] = await history().constraintSetHistory(prisma, { id });
        if (o.json) return out.json(s);
        out.info(`constraint set ${s!.id} "${s!.name}"${s!.archived ? " (archived)" : ""}`);
        out.info(
          table(
            ["version", "id", "saved", "by", "note"],
            s!.versions.map((v) => [
              `version ${v.version}`,
              v.id,
              v.createdAt.toISOString().slice(0, 16).replace("T", " "),
              v.createdBy ?? "",
              v.note ?? "",
            ]),
          ),
        );
      }),
    );
  c.command("diff")
    .description("what changed from one version to another (version ids, as `show` lists them)")
    .argument("<from>", "version id", intOption)
    .argument("<to>", "version id", intOption)
    .option("--json", "print JSON")
    .action((from: number, to: number, o: { json?: boolean }) =>
      run(o, async ({ prisma }, out) => {
        const changes = await history().diffConstraintSetVersions(prisma, from, to);
        if (o.json) return out.json(changes);
        printChanges(out, changes);
      }),
    );
}

/** patch, restore, archive, unarchive: make a new version, or change whether the set is listed. */
function registerVersionCommands(c: Command): void {
  c.command("patch")
    .description(
      "a new version with a patch merged in: fields replace, lists merge by key, null removes (docs/api.md)",
    )
    .argument("<set>", "constraint set id", intOption)
    .option(
      "--patch <json>",
      'the patch, e.g. \'{"budget": 25000, "channelCapacities": {"branch": {"capacity": 4000}}}\'',
    )
    .option("--file <file>", "read the patch from a JSON file")
    .option("--note <text>", "why the version is made")
    .option("--json", "print JSON")
    .action((id: number, o: { patch?: string; file?: string; note?: string; json?: boolean }) =>
      run(o, async (db, out) => {
        const patch = await patchText(o);
        printVersion(out, o, await history().patchConstraintSet(db, id, patch, cliSave(o.note)));
      }),
    );
  c.command("restore")
    .description("a new version equal to an old version of the same set")
    .argument("<set>", "constraint set id", intOption)
    .argument("<version>", "the old version's id", intOption)
    .option("--note <text>", "why (default: which version it restores)")
    .option("--json", "print JSON")
    .action((id: number, versionId: number, o: { note?: string; json?: boolean }) =>
      run(o, async (db, out) =>
        printVersion(
          out,
          o,
          await history().restoreConstraintSetVersion(db, id, versionId, cliSave(o.note)),
        ),
      ),
    );
  for (const [name, what] of [
    ["archive", "hide a set from lists and make it read-only (no change, no run) until unarchived"],
    ["unarchive", "list a set again, and let it be changed and run"],
  ] as const)
    c.command(name)
      .description(what)
      .argument("<set>", "constraint set id", intOption)
      .option("--json", "print JSON")
      .action((id: number, o: { json?: boolean }) =>
        run(o, async (db, out) => {
          const s =
            name === "archive"
              ? await sets().archiveConstraintSet(db, id)
              : await sets().unarchiveConstraintSet(db, id);
          if (o.json) out.json({ id: s.id, name: s.name, archived: name === "archive" });
          else out.info(`constraint set ${s.id} "${s.name}" ${name}d`);
        }),
      );
}
