/** Where progress goes: a stream that may be a terminal. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** No output at all (`--quiet`). */
  quiet?: boolean | undefined;
  /**
   * When the stream is not a terminal (a log file, CI, a pipe): one plain progress line every this many
   * milliseconds (default 10 000); 0 writes one at every update. A redrawn bar would fill a log with `\r`s,
   * and no output at all left long runs in CI looking hung.
   */
  lineIntervalMs?: number | undefined;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * Progress on standard error: a one-line bar redrawn at most 10 times a second on a terminal, else a plain
 * line (`scoring: 12,000 completions, 45% of input, 2,100/s`) every {@link ProgressOptions.lineIntervalMs}.
 */
export class ProgressBar {
  private lastDraw: number;
  private readonly started: number;
  private readonly now: () => number;
  private readonly quiet: boolean;
  private readonly lineIntervalMs: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.quiet = options.quiet === true;
    this.lineIntervalMs = options.lineIntervalMs ?? 10_000;
    this.started = this.now();
    // A bar shows at once; a log's first line waits one interval (a short run logs nothing).
    this.lastDraw = this.terminal ? -Infinity : this.started;
  }

  /** Is the stream a terminal (a redrawn bar) rather than a log (plain lines)? */
  get terminal(): boolean {
    return this.stream.isTTY === true;
  }

  /** `fraction` in [0, 1], or null when the total is unknown; `done` items of `unit` so far. */
  update(fraction: number | null, done: number, unit: string): void {
    if (this.quiet) return;
    const now = this.now();
    const elapsed = now - this.lastDraw;
    const rate = Math.round(done / Math.max(1e-3, (now - this.started) / 1000)).toLocaleString('en-US');
    if (this.terminal) {
      if (elapsed < 100) return;
      this.lastDraw = now;
      const width = 24;
      const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      this.stream.write(`\r${this.label} ${bar}${done.toLocaleString('en-US')} ${unit} ${rate}/s\x1b[K`);
      return;
    }
    if (elapsed < this.lineIntervalMs) return;
    this.lastDraw = now;
    const share = fraction === null ? '' : `, ${(fraction * 100).toFixed(0)}% of input`;
    this.stream.write(`${this.label}: ${done.toLocaleString('en-US')} ${unit}${share}, ${rate}/s\n`);
  }

  /** Clears a terminal bar's line (plain lines stay). */
  done(): void {
    if (!this.quiet && this.terminal) this.stream.write('\r\x1b[K');
  }
}
