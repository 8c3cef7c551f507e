// Reading a generated dataset directory back, independently of the generator's own code.
import { parse } from "csv-parse/sync";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Row = Record<string, string>;

export function readCsv(dir: string, file: string): { header: string[]; rows: Row[] } {
  const text = readFileSync(join(dir, file), "utf8");
  const header = (parse(text, { to_line: 1 }) as string[][])[0];
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Row[];
  return { header, rows };
}

export function tempDir(tag: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `offerplan-gen-${tag}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** empty cell = not given */
export function num(cell: string): number | null {
  return cell === "" ? null : Number(cell);
}
