import { PassThrough, Readable } from 'node:stream';

/** A CommandIO whose stdout and stderr are collected as text, and whose stdin is `stdinText`. */
export function captureIO(stdinText = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  return { io: { stdout, stderr, stdin: Readable.from([stdinText]) }, out: () => out, err: () => err };
}
