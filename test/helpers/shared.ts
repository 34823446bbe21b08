import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared folder beside the checkout (spec, vectors, HI-VTG data); RA_RFT_SHARED overrides it. */
export const sharedDir = process.env.RA_RFT_SHARED ?? resolve(repoRoot, '../shared');

export function sharedPath(...parts: string[]): string {
  const path = resolve(sharedDir, ...parts);
  if (!existsSync(path)) throw new Error(`missing ${path}: the tests need ../shared beside the checkout (or RA_RFT_SHARED)`);
  return path;
}

export interface PublicVector {
  id: string;
  completion: string;
  target: import('../../src/index.js').RaRftTarget;
  expect: { format: number; refuseIoU: number; explain: number; correction: number; plainIoU: number };
}

export function readPublicVectors(): PublicVector[] {
  return readFileSync(sharedPath('spec/vectors/public.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PublicVector);
}

export function readHiVtg(file: string): unknown[] {
  return JSON.parse(readFileSync(sharedPath('data/hi-vtg', file), 'utf8')) as unknown[];
}
