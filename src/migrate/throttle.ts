/**
 * Pacing of the requests of a run: a pause every worker waits out after a `rate_limited` answer,
 * and a most-requests-per-second limit per backend. Timers only (fake timers drive them in tests).
 */

/** Resolves after `ms` (true), or at once when `signal` aborts (false). */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The pause all workers share: one `rate_limited` answer holds back every request until it ends. */
export class Pause {
  private until = 0;
  /** Times a new pause began. */
  count = 0;

  /** Holds every worker back for `ms` from now (a longer pause in force is kept). */
  extend(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.until) return;
    if (this.until <= Date.now()) this.count += 1;
    this.until = until;
  }

  /** Waits until no pause is in force; false when `signal` aborted the wait. */
  async wait(signal?: AbortSignal): Promise<boolean> {
    for (let left = this.until - Date.now(); left > 0; left = this.until - Date.now()) {
      if (!(await sleep(left, signal))) return false;
    }
    return true;
  }
}

/** At most `perSecond` requests a second to one backend: each takes the next free slot. */
export class RateLimit {
  private next = 0;
  private readonly interval: number;

  constructor(perSecond: number | undefined) {
    this.interval = perSecond === undefined ? 0 : 1000 / perSecond;
  }

  /** Waits for this request's slot; false when `signal` aborted the wait. */
  async take(signal?: AbortSignal): Promise<boolean> {
    if (this.interval === 0) return true;
    const now = Date.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.interval;
    return slot > now ? sleep(slot - now, signal) : true;
  }
}
