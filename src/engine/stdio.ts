// The engine over a pipe: one JSON object per line each way. The Python package starts `ra-rft-rewards engine`
// as its child and speaks this; nothing binds a port.
import { createInterface } from 'node:readline';
import { type Engine, errorBody } from './engine.js';

/** Options of {@link serveStdio}. */
export interface ServeStdioOptions {
  engine: Engine;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * Answers each request line `{"id": n, "op": …}` with one line `{"id": n, "ok": true, "result": …}` or
 * `{"id": n, "ok": false, "error": {type, message, fn?, field?, issues?}}`. Requests may overlap; answers carry
 * their id. Resolves once the input ends and every answer is written. A line that is not JSON is answered with
 * `id: null` and a `BadRequest` error; the engine keeps going.
 */
export async function serveStdio({ engine, input, output }: ServeStdioOptions): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  const pending = new Set<Promise<void>>();
  const write = (message: unknown) =>
    new Promise<void>((resolve, reject) => {
      // JSON.stringify writes NaN as null: a reward that is not a number never reaches Python as a number.
      output.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let message: { id?: unknown } & Record<string, unknown>;
    try {
      message = JSON.parse(line) as typeof message;
    } catch (error) {
      await write({ id: null, ok: false, error: { type: 'BadRequest', message: `request is not JSON: ${(error as Error).message}` } });
      continue;
    }
    const id = message?.id ?? null;
    const task = (async () => {
      try {
        const { id: _, ...request } = message;
        await write({ id, ok: true, result: await engine.handle(request) });
      } catch (error) {
        await write({ id, ok: false, error: errorBody(error) }).catch(() => undefined);
      }
    })();
    pending.add(task);
    void task.finally(() => pending.delete(task));
  }
  await Promise.all(pending);
}
