// Headless Chromium (Debian's `chromium` package) for tests that check a page really renders.
// Without it the test is skipped with a warning on a developer machine, but fails in CI, where
// .ci/run installs it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
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

/** A request a page made, from Chromium's network log. */
export interface PageRequest {
  url: string;
  method: string;
  /** the origin of the page that made it */
  initiator: string;
}

/**
 * The DOM of a page served over HTTP once its scripts have run (`budgetMs` of virtual time), and
 * every request the page itself made (Chromium's own background requests are left out). Host
 * names other than 127.0.0.1 resolve to nothing, so a request meant for the internet is still
 * listed but never leaves the machine.
 */
export async function loadPageInChromium(
  url: string,
  budgetMs = 10_000,
): Promise<{ dom: string; requests: PageRequest[] }> {
  if (!chromiumPath) throw new Error("Chromium is not installed (apt-get install chromium)");
  const profile = await mkdtemp(path.join(tmpdir(), "offerplan-chromium-"));
  const netLog = path.join(profile, "net-log.json");
  try {
    const { stdout: dom } = await run(
      chromiumPath,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        `--user-data-dir=${profile}`,
        `--log-net-log=${netLog}`,
        `--virtual-time-budget=${budgetMs}`,
        "--dump-dom",
        url,
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 90_000 },
    );
    const log = JSON.parse(await readFile(netLog, "utf8")) as {
      constants: { logEventTypes: Record<string, number> };
      events: { type: number; params?: { url?: string; method?: string; initiator?: string } }[];
    };
    const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
    const origin = new URL(url).origin;
    const requests = log.events
      .filter((e) => e.type === start && e.params?.url)
      // the page's own requests name it as initiator, or are the page itself
      .filter((e) => e.params!.initiator === origin || e.params!.url === url)
      .map((e) => ({
        url: e.params!.url!,
        method: e.params!.method ?? "",
        initiator: e.params!.initiator ?? "",
      }));
    return { dom, requests };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
