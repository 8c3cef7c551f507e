// Wall-clock seconds per step of an import, in the order the steps ran, so that a benchmark (or
// a slow import's summary) shows where the time went. Steps that overlap each other (the score
// file read while customers are merged) are each timed on their own.
export interface PhaseTiming {
  phase: string;
  seconds: number;
}

export class Phases {
  readonly list: PhaseTiming[] = [];

  add(phase: string, seconds: number): void {
    this.list.push({ phase, seconds });
  }

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.list.push({ phase, seconds: (performance.now() - t0) / 1000 });
    }
  }
}
