import { z } from 'zod';
import { DEFAULT_IOU_LEVELS } from './synthesize.js';

/**
 * The scalar options of `benchVariants`, one definition each (default, range, description, CLI flag): the
 * library's checks, the `ra-rft-rewards bench-variants` flags and `--help` lines, and the docs table come from
 * it (see src/internal/option-schema.ts). The inputs (`data`, `targets`, `modelCompletions`, `variants`) are
 * checked where they are read.
 */
export const benchVariantsSettingsSchema = z.object({
  itemsPerFile: z.number().int().min(0).default(100).describe('HI-VTG items sampled per file (0 = all)').meta({ flag: 'items', arg: 'N' }),
  seed: z.number().int().default(7).describe('seed of the sampling and the synthesis').meta({ flag: 'seed', arg: 'N' }),
  groupSize: z.number().int().min(2).default(8).describe('GRPO group size G for the zero-variance figure').meta({ flag: 'group-size', arg: 'G' }),
  skills: z.array(z.number().min(0).max(1)).readonly().default([0.2, 0.5, 0.8]).describe('simulated policy skills, shares of genuine attempts').meta({ flag: 'skills', arg: 'LIST' }),
  iouLevels: z.array(z.number().min(0).max(1)).readonly().default(() => [...DEFAULT_IOU_LEVELS]).describe('near-miss IoU levels').meta({ flag: 'iou-levels', arg: 'LIST' }),
  minTimeSeconds: z.number().min(0).default(0.2).describe('seconds of repeated scoring per variant for the completions/s figure').meta({ flag: 'min-time', arg: 'SECONDS' }),
});
