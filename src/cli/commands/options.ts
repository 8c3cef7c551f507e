import { InvalidArgumentError } from "commander";

export function intOption(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("must be a whole number");
  return Number(value);
}

export const RAW_CSV_HELP =
  "write ids and names as stored, for programs: no leading ' on text that a spreadsheet would run as a formula (=, +, -, @)";
