// Headless Chromium (Debian's `chromium` package) for tests that check a page really renders.
// Without it the test is skipped with a warning on a developer machine, but fails in CI, where
// .ci/run installs it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export const chromiumPath = CANDIDATES.find((p) => existsSync(p)) ?? null;

export function describeWithChromium(name: string, fn: () => void): void {
  if (chromiumPath || process.env.CI) describe(name, fn);
  else {
    console.warn(`skipping "${name}": no Chromium (apt-get install chromium)`);
    describe.skip(name, fn);
  }
}

/** The DOM Chromium builds from a file, serialised, plus a screenshot's size in bytes. */
export async function renderInChromium(
  file: string,
): Promise<{ dom: string; screenshotBytes: number }> {
  if (!chromiumPath) throw new Error("Chromium is not installed (apt-get install chromium)");
  const profile = await mkdtemp(path.join(tmpdir(), "offerplan-chromium-"));
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
  ];
  try {
    const url = `file://${path.resolve(file)}`;
    const { stdout: dom } = await run(chromiumPath, [...flags, "--dump-dom", url], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    const shot = path.join(profile, "shot.png");
    await run(chromiumPath, [...flags, `--screenshot=${shot}`, "--window-size=1000,2400", url], {
      timeout: 60_000,
    });
    const { size } = await import("node:fs").then((fs) => fs.statSync(shot));
    return { dom, screenshotBytes: size };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
