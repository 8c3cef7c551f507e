// Wall-clock seconds per step of an import, in the order the steps ran, so that a benchmark (or
// a slow import's summary) shows where the time went. Steps that overlap each other (the score
// file read while customers are merged) are each timed on their own.
export interface PhaseTiming {
  phase: string;
  seconds: number;
  /** seconds from the start of the import to the start of this step (to line it up with
   *  other measurements, such as the server's CPU time, taken meanwhile) */
  startedAt: number;
}

export class Phases {
  readonly list: PhaseTiming[] = [];
  private readonly origin = performance.now();

  /** a step that ended just now and took `seconds` */
  add(phase: string, seconds: number): void {
    const startedAt = (performance.now() - this.origin) / 1000 - seconds;
    this.list.push({ phase, seconds, startedAt });
  }

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      const startedAt = (t0 - this.origin) / 1000;
      this.list.push({ phase, seconds: (performance.now() - t0) / 1000, startedAt });
    }
  }
}
