// Worker entry: registers tsx so the TypeScript worker (and the library source) load in this thread.
import { register } from 'tsx/esm/api';

register();
await import('./adversarial-worker.ts');
