// The HTML report printed to PDF by headless Chromium (Debian's `chromium` package, or Chrome where
// it is installed): the page is self-contained, so Chromium needs no network and none is
// allowed it. The page's own print styles decide the layout.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** A print of a long report takes a few seconds; a minute means Chromium is stuck. */
const PRINT_TIMEOUT_MS = 60_000;

export class PdfUnavailableError extends Error {
  override name = "PdfUnavailableError";
}

export function chromiumBinary(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** The PDF bytes of an HTML page. */
export async function htmlToPdf(html: string): Promise<Buffer> {
  const chromium = chromiumBinary();
  if (!chromium)
    throw new PdfUnavailableError(
      `--format pdf needs Chromium at ${CANDIDATES.join(" or ")}: apt-get install chromium`,
    );
  const dir = await mkdtemp(path.join(tmpdir(), "offerplan-pdf-"));
  try {
    const page = path.join(dir, "report.html");
    const pdf = path.join(dir, "report.pdf");
    await writeFile(page, html);
    await run(
      chromium,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        // nothing on the page is remote; refuse every host should that ever change
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--no-pdf-header-footer",
        `--user-data-dir=${path.join(dir, "profile")}`,
        `--print-to-pdf=${pdf}`,
        `file://${page}`,
      ],
      { timeout: PRINT_TIMEOUT_MS },
    );
    return await readFile(pdf);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
