// Peak resident memory of this process: process.memoryUsage() reports only the current value,
// and the peak of a run sits in the middle of a phase.
import { readFileSync, writeFileSync } from "node:fs";

export interface RssSampler {
  /** highest resident set size since the start or the last resetPeak(), bytes */
  peak(): number;
  /** starts a new measurement (the kernel's mark too, where it allows) */
  resetPeak(): void;
  stop(): void;
}

/**
 * The kernel's high-water mark (VmHWM) where /proc exists, and sampling every 50 ms (which misses
 * peaks inside long synchronous loops) where it does not.
 */
export function startRssSampler(): RssSampler {
  let peak = process.memoryUsage.rss();
  // false once the kernel's mark could not be reset: it would then hold an earlier run's peak
  let kernel = true;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss(), kernel ? kernelHighWaterMark() : 0),
    resetPeak: () => {
      try {
        // "5" resets the peak RSS (VmHWM) to the current RSS (Linux ≥ 4.0)
        writeFileSync("/proc/self/clear_refs", "5");
      } catch {
        kernel = false;
      }
      peak = process.memoryUsage.rss();
    },
    stop: () => clearInterval(timer),
  };
}

function kernelHighWaterMark(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
