// Kept for src/trainer/evaluate.ts until it imports the parser from its new home (internal/parsers).
export { parseRaRftSpan } from '../internal/parsers/parse-ra-rft-span.js';
