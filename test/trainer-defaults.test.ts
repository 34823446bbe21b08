import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command } from '../src/cli/commands/train.js';
import { TRAIN_DEFAULTS } from '../src/trainer/defaults.js';
import { resolveTrainOptions } from '../src/trainer/options.js';
import { repoRoot } from './helpers/shared.js';

describe('TRAIN_DEFAULTS', () => {
  it('is what train() fills in', () => {
    const config = resolveTrainOptions({}, 'trigram', 20);
    const { ffnPerDModel, ...model } = TRAIN_DEFAULTS.model;
    expect(config.model).toEqual({ ...model, ffn: ffnPerDModel * model.dModel });
    const { task, sft, grpo, evaluation, seed, backend, logEvery } = TRAIN_DEFAULTS;
    expect(config).toMatchObject({ task, sft, grpo, evaluation, seed, backend, logEvery });
  });

  it('is the block docs/trainer.md prints, and the CLI help states its values', () => {
    const docs = readFileSync(join(repoRoot, 'docs/trainer.md'), 'utf8');
    const block = /<!-- TRAIN_DEFAULTS[^>]*-->\s*```json\n([\s\S]*?)\n```/.exec(docs);
    expect(block, 'docs/trainer.md has the TRAIN_DEFAULTS block').not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(TRAIN_DEFAULTS);
    for (const line of [`--sft-steps N           stage 1 steps (default ${TRAIN_DEFAULTS.sft.steps})`, `--group-size G          completions per prompt (default ${TRAIN_DEFAULTS.grpo.groupSize})`, `--kl-beta X             weight of the k3 KL to the SFT policy (default ${TRAIN_DEFAULTS.grpo.klBeta})`]) {
      expect(command.help).toContain(line);
    }
  });
});
