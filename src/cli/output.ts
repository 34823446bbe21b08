import { createReadStream, createWriteStream, promises as fsp, truncateSync } from 'node:fs';
import { finished } from 'node:stream/promises';

/**
 * An input or output file (or stream) failed: the command prints {@link IoFault.message} as its one line and
 * exits 3. `linesWritten` counts the whole output lines already on disk when the output failed.
 */
export class IoFault extends Error {
  override name = 'IoFault';
  constructor(
    /** `read` or `write`. */
    readonly direction: 'read' | 'write',
    /** The file, or `standard input` / `standard output`. */
    readonly target: string,
    override readonly cause: unknown,
  ) {
    super(`cannot ${direction} ${target}: ${ioMessage(cause)}`);
  }
}

/** One line for an I/O error: its message without a stack, e.g. `ENOSPC: no space left on device, write`. */
export function ioMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return code !== undefined && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Does `error` look like a Node system error (`code: 'ENOSPC'`, `'EPIPE'`…)? */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return error instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/**
 * Opens `path` for reading (`-`: `stdin`). The file is opened before the stream exists, so an open error
 * (ENOENT, EACCES, ENXIO on a socket, EISDIR) is thrown here as an {@link IoFault} instead of being emitted
 * on a stream nobody listens to yet (which crashed the process with "Unhandled 'error' event").
 */
export async function openInput(path: string, stdin: NodeJS.ReadableStream): Promise<{ source: AsyncIterable<Buffer | string>; size: number | null; bytesRead: () => number; close: () => void }> {
  if (path === '-') return { source: stdin as AsyncIterable<Buffer | string>, size: null, bytesRead: () => 0, close: () => undefined };
  let handle: fsp.FileHandle;
  let size: number;
  try {
    handle = await fsp.open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR' });
    }
    size = stat.size;
  } catch (error) {
    throw new IoFault('read', path, error);
  }
  const stream = createReadStream(path, { fd: handle, autoClose: true });
  // Read errors reach the consumer through async iteration; this listener only keeps an error that fires
  // between two reads from becoming an uncaught exception.
  stream.on('error', () => undefined);
  return { source: stream, size, bytesRead: () => stream.bytesRead, close: () => stream.destroy() };
}

/**
 * A JSONL output (a file, or a stream such as standard output) that counts the lines on disk and turns the
 * first write error into an {@link IoFault}. One `error` listener for its life (a listener per write leaked,
 * and printed MaxListenersExceededWarning on long files). On a file, a failed write is cut back to the last
 * whole line, so what stays is valid JSONL that `--resume` continues.
 */
export class LineOutput {
  /** Whole lines whose write completed. */
  linesWritten = 0;
  private bytesWritten = 0;
  private error: unknown = null;
  private readonly onError = (error: unknown) => {
    this.error ??= error;
  };

  private constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly name: string,
    private readonly path: string | null,
    startBytes: number,
  ) {
    this.bytesWritten = startBytes;
    stream.on('error', this.onError);
  }

  /** A file, created or truncated, or appended to from byte `append` (for `--resume`). */
  static async file(path: string, append?: number): Promise<LineOutput> {
    const stream = createWriteStream(path, append === undefined ? { flags: 'w' } : { flags: 'r+', start: append });
    const output = new LineOutput(stream, path, path, append ?? 0);
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
    } catch (error) {
      throw new IoFault('write', path, error);
    }
    return output;
  }

  /** A stream owned by the caller (standard output): never ended here. */
  static stream(stream: NodeJS.WritableStream, name = 'standard output'): LineOutput {
    return new LineOutput(stream, name, null, 0);
  }

  private fault(): IoFault {
    return new IoFault('write', this.name, this.error);
  }

  /** Writes `lines` (each without its newline) and waits for room; throws an {@link IoFault} once the output failed. */
  async write(lines: readonly string[]): Promise<void> {
    if (this.error !== null) throw this.fault();
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    const bytes = Buffer.byteLength(text);
    const room = this.stream.write(text, (error) => {
      if (error) this.onError(error);
      else {
        this.linesWritten += lines.length;
        this.bytesWritten += bytes;
      }
    });
    if (!room && this.error === null) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
    if (this.error !== null) throw this.fault();
  }

  /**
   * Ends a file output and waits until it is on disk (a stream output only waits for its pending writes);
   * throws an {@link IoFault} when any write failed. Safe to call after a failure: it then cuts the file back
   * to its last whole line and rethrows.
   */
  async close(): Promise<void> {
    if (this.path !== null) {
      if (this.error === null) this.stream.end();
      await finished(this.stream as NodeJS.WritableStream & NodeJS.EventEmitter).catch(this.onError);
      if (this.error !== null) {
        // Free the partial last line: the file keeps exactly the lines counted in linesWritten.
        try {
          truncateSync(this.path, this.bytesWritten);
        } catch {
          // The file is gone or not truncatable (a device such as /dev/full): the count still says what is valid.
        }
      }
    } else if (this.error === null) {
      await new Promise<void>((resolve) => this.stream.write('', () => resolve()));
    }
    // A file stream keeps its listener: a late error from a destroyed stream must not become uncaught.
    if (this.path === null) this.stream.off('error', this.onError);
    if (this.error !== null) throw this.fault();
  }
}
