/**
 * A one-line progress bar on standard error, for terminals only, redrawn at most every 200 ms.
 * @module
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #started = Date.now();
  #lastDraw = 0;
  #drawn = false;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  update(done: number, total: number, packets: number): void {
    const now = Date.now();
    if (now - this.#lastDraw < 200 || now - this.#started < 1000) return;
    this.#lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 30;
    const full = Math.round(frac * width);
    const secs = (now - this.#started) / 1000;
    const rate = packets / secs;
    const eta = frac > 0 ? secs / frac - secs : 0;
    const line =
      `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% ` +
      `${packets.toLocaleString('en-US')} packets, ${(rate / 1e6).toFixed(2)} M/s, ${eta.toFixed(0)} s left`;
    this.#stream.write(`\r${line.slice(0, (this.#stream.columns ?? 100) - 1)}`);
    this.#drawn = true;
  }

  clear(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = false;
  }
}
