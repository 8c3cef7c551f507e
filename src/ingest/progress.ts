// Progress of the file being read, at most a few reports per second whatever the row rate.
export interface ImportProgress {
  file: string;
  /** data rows read so far */
  rows: number;
  rowsPerSecond: number;
}

export const PROGRESS_INTERVAL_MS = 250;

export class ProgressReporter {
  private file = "";
  private started = 0;
  private lastReport = 0;

  constructor(private readonly onProgress?: (p: ImportProgress) => void) {}

  start(file: string): void {
    this.file = file;
    this.started = performance.now();
    this.lastReport = this.started;
  }

  /** reports when the last report is old enough, or always when final */
  update(rows: number, final = false): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (!final && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    const seconds = (now - this.started) / 1000;
    this.onProgress({
      file: this.file,
      rows,
      rowsPerSecond: seconds > 0 ? rows / seconds : 0,
    });
  }
}
