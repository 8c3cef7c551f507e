// What `--help` says about the options' defaults.
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/main";

function allCommands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(allCommands)];
}

const path = (c: Command): string =>
  c.parent ? `${path(c.parent)} ${c.name()}`.trim() : c.name() === "offerplan" ? "" : c.name();

describe("offerplan --help", () => {
  const commands = allCommands(buildProgram());

  it("shows each default as a user would type it: it parses back to itself", () => {
    // A default in another unit than the option's (milliseconds for a --grace in seconds) would
    // parse to something else.
    const wrong: string[] = [];
    for (const c of commands)
      for (const o of c.options) {
        if (o.defaultValue === undefined || !o.parseArg) continue;
        const parsed: unknown = o.parseArg(String(o.defaultValue), undefined);
        if (parsed !== o.defaultValue)
          wrong.push(
            `${path(c)} ${o.long}: default ${String(o.defaultValue)} parses to ${String(parsed)}`,
          );
      }
    expect(wrong).toEqual([]);
  });

  it.each(["serve", "worker"])("%s --help shows the grace period in seconds", (name) => {
    const cmd = commands.find((c) => path(c) === name)!;
    expect(cmd.helpInformation()).toMatch(/--grace <s> +on shutdown, seconds .*\s+\(default: 30\)/);
  });
});
