// `npm run test:unit`: the suite without the Python package (no wheel build in global setup), for development.
// The tests that read inject('pythonPackage') need that setup, so they are left out here; `npm test` runs them.
// RA_RFT_UNIT=1 skips the few-minute learning test (src/trainer/train.test.ts), too.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

const { globalSetup: _globalSetup, ...test } = base.test ?? {};

export default defineConfig({
  test: { ...test, env: { RA_RFT_UNIT: '1' }, exclude: ['test/trainer-integration.test.ts', 'test/python-*.test.ts', '**/node_modules/**'] },
});
