// The command line's one translation of service errors: message, option name and exit status.
import { CliError, flagOf, toCliError } from "../../src/cli/errors";
import {
  ConflictError,
  ConstraintSetInputError,
  ImportError,
  InputError,
  NotFoundError,
} from "../../src/services/errors";

describe("toCliError", () => {
  it("names the option an input field came from, once, and exits 2", () => {
    const e = toCliError(new InputError("input.warmStartFrom", "plan 3 is FAILED"));
    expect([e?.message, e?.exitCode]).toEqual(["--warm-start-from: plan 3 is FAILED", 2]);
    expect(toCliError(new InputError("input.basePlanId", "x"))?.message).toBe("--base-plan: x");
    expect(toCliError(new InputError("calibrationId", "x"))?.message).toBe("--calibration: x");
    expect(flagOf("patch.channelCapacities[0].capacity")).toBe(
      "patch.channelCapacities[0].capacity",
    );
  });

  it("reports every problem of a constraint set at its path, exit 2", () => {
    const e = toCliError(
      new ConstraintSetInputError(
        [
          { path: "budget", message: "must be ≥ 0" },
          { path: "", message: "is empty" },
        ],
        "patch",
      ),
    );
    expect([e?.message, e?.exitCode]).toEqual(["patch.budget: must be ≥ 0\npatch: is empty", 2]);
  });

  it("exits 1 for a refusal by state, a missing object and a rejected import", () => {
    expect(toCliError(new ConflictError("plan 4 is already CANCELLED"))).toMatchObject({
      message: "plan 4 is already CANCELLED",
      exitCode: 1,
    });
    expect(toCliError(new NotFoundError("plan 9 does not exist"))?.exitCode).toBe(1);
    const rejected = toCliError(
      new ImportError([{ file: "scores.csv", line: 5, column: "probability", message: "bad" }], 3),
    );
    expect(rejected?.message).toBe(
      "import rejected, nothing was written (3 problem(s)):\n  scores.csv:5 [probability]: bad\n  … and 2 more",
    );
    expect(rejected?.exitCode).toBe(1);
  });

  it("keeps a CliError, and leaves a bug to be printed with its stack", () => {
    const own = new CliError("--format must be one of …", 2);
    expect(toCliError(own)).toBe(own);
    expect(toCliError(new TypeError("x is undefined"))).toBeNull();
  });
});
