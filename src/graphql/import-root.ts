// Where an import over the API may read. The path comes from a client and the server reads it, so
// with an import root the path is taken relative to the root and must stay below it after every
// symlink is followed: the root, the target and each file the import will open inside a target
// directory are compared by their real paths. Whatever fails — a way out, a dangling link, a path
// that does not exist — gets one answer, so that a client cannot learn what exists outside the
// root. Paths go back to the client relative to the root: the server's layout is not its business.
// A production server without a root runs no import at all (the CLI reads any path it is given:
// its user already has the machine).
import { lstat, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { ForbiddenError } from "../auth";
import { ImportError, InputError } from "../services/errors";
import type { GraphQLContext } from "./context";

export interface ImportTarget {
  /** the path to read: real (symlinks resolved) under a root, as given without one */
  path: string;
  /** a path the import names (its directory, its file) as the client may see it */
  shown(p: string): string;
  /** an import's rejection with the server's paths replaced by shown ones */
  hide(e: unknown): unknown;
}

const NOT_BELOW_ROOT = "no such file or directory below the server's import root";

export const IMPORT_ROOT_REQUIRED =
  "imports over the API are turned off: this production server has no import root; start it " +
  "with IMPORT_ROOT or `serve --import-root <dir>` and import from below that directory";

const isBelow = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
};

/**
 * Resolves `requested` (argument `field`) for an import: under the import root, or refused.
 * `opens` names the files the import reads when the target is a directory; each one there must
 * lead below the root too.
 */
export async function importTarget(
  ctx: Pick<GraphQLContext, "importRoot" | "importRootRequired">,
  requested: string,
  field: string,
  opens: readonly string[],
): Promise<ImportTarget> {
  if (!ctx.importRoot) {
    if (ctx.importRootRequired) throw new ForbiddenError(IMPORT_ROOT_REQUIRED);
    return { path: requested, shown: (p) => p, hide: (e) => e };
  }
  // a missing root is the server's misconfiguration, not the client's: an internal error, logged
  const root = await realpath(ctx.importRoot);
  const refuse = () => new InputError(field, NOT_BELOW_ROOT);
  const real = await realpath(path.resolve(root, requested)).catch(() => null);
  if (real === null || !isBelow(root, real)) throw refuse();
  if ((await stat(real)).isDirectory())
    for (const name of opens) {
      const file = path.join(real, name);
      const present = await lstat(file).then(
        () => true,
        () => false,
      );
      if (!present) continue;
      // a link that dangles is refused like one that leads out: skipping it would tell them apart
      const target = await realpath(file).catch(() => null);
      if (target === null || !isBelow(root, target)) throw refuse();
    }
  // the root followed by a separator goes, the root on its own is "."; a longer name that
  // merely starts like the root is someone else's path and stays
  const escaped = root.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const rootInText = new RegExp(`${escaped}(?:/|(?![\\w.-]))`, "g");
  const relativise = (text: string) =>
    text.replace(rootInText, (m) => (m.endsWith("/") ? "" : "."));
  return {
    path: real,
    shown: relativise,
    hide: (e) =>
      e instanceof ImportError
        ? new ImportError(
            e.problems.map((p) => ({
              ...p,
              file: relativise(p.file),
              message: relativise(p.message),
            })),
            e.total,
          )
        : e,
  };
}
