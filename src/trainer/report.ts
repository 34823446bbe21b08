import type { BackendInfo } from './backend.js';
import type { EvaluationMetrics } from './evaluate.js';
import type { GrpoStepRecord } from './grpo.js';
import type { ResolvedTrainConfig } from './options.js';

/** Before/after comparison of the SFT and RA-RFT policies on the held-out set. */
export interface BeforeAfter {
  /** The SFT policy (stage 1), before GRPO. */
  sft: EvaluationMetrics;
  /** The RA-RFT policy (after stage 2). */
  raRft: EvaluationMetrics;
}

/** One held-out prompt with both policies' greedy completions. */
export interface ExampleCompletion {
  prompt: string;
  relevant: boolean;
  /** The changed HI-VTG category of a hard-irrelevant query. */
  category: string | null;
  ideal: string;
  sft: string;
  raRft: string;
}

/** Everything a {@link train} run measured; JSON-serialisable. */
export interface TrainReport {
  /** `ra-rft-rewards` trainer report format. */
  format: 'ra-rft-rewards/train-report@1';
  createdAt: string;
  /** The resolved configuration (every default filled in). */
  config: ResolvedTrainConfig;
  backend: BackendInfo;
  policy: { name: string; parameters: number };
  machine: { node: string; platform: string; cpu: string; cores: number };
  timing: {
    totalSeconds: number;
    sftSeconds: number;
    grpoSeconds: number;
    evaluationSeconds: number;
    sftStepsPerSecond: number;
    grpoStepsPerSecond: number;
  };
  sft: { losses: { step: number; loss: number }[] };
  grpo: {
    steps: GrpoStepRecord[];
    /** Periodic greedy evaluations on the first held-out prompts (step 0 = the SFT policy). */
    evaluations: { step: number; metrics: EvaluationMetrics }[];
  };
  /** Held-out greedy evaluation of the SFT and RA-RFT policies. */
  beforeAfter: BeforeAfter;
  /** Held-out prompts that also came up in training (expected 0: the spaces are large). */
  heldOutSeenInTraining: number;
  examples: ExampleCompletion[];
}
