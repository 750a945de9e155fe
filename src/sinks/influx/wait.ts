/**
 * Two small waiting primitives for the sink's delivery loop and its callers.
 * @module
 */

/** Many waiters, woken together by `notify()` (progress, a fatal error, the end). */
export class Signal {
  #waiters: (() => void)[] = [];

  /** Resolves at the next notify(), or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  notify(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }
}

/** One sleeper (the delivery loop), woken early by `wake()` (new points, flush, close). */
export class Sleeper {
  #wake: (() => void) | null = null;

  /** Unref'd: a pause between retries never keeps the process alive on its own. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms).unref();
      this.#wake = done;
    });
  }

  wake(): void {
    this.#wake?.();
  }
}
