/** A one-line progress bar on a terminal; silent when the stream is not a TTY (logs, CI, pipes). */
export class ProgressBar {
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly label: string,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Redraws at most 10 times a second. `fraction` in [0, 1], or null when the total is unknown. */
  update(fraction: number | null, done: number, unit: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const rate = done / Math.max(1e-3, (now - this.started) / 1000);
    const width = 24;
    const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
    this.stream.write(`\r${this.label} ${bar}${done.toLocaleString('en-US')} ${unit} ${Math.round(rate).toLocaleString('en-US')}/s\x1b[K`);
  }

  /** Clears the bar's line. */
  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}
