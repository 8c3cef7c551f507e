import { InvalidArgumentError } from "commander";

export function intOption(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("must be a whole number");
  return Number(value);
}
