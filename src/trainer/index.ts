// ra-rft-rewards/trainer: the reference GRPO trainer (TensorFlow.js, loaded lazily on the first call).
export { train } from './train.js';
export { TRAIN_DEFAULTS } from './defaults.js';
export { type WebGpuProbe, findWebGpuAdapter } from './webgpu-adapter.js';
export type { EvaluationOptions, GrpoOptions, ResolvedTrainConfig, SftOptions, TrainOptions } from './options.js';
export type { BeforeAfter, ExampleCompletion, TrainReport } from './report.js';
export type { GrpoStepRecord, PromptWeighting } from './grpo.js';
export type { EvaluationMetrics } from './evaluate.js';
export { evaluateCompletions } from './evaluate.js';
export type { IncrementalDecoder, Policy, PolicyContext, PolicyFactory } from './policy.js';
export { type TransformerPolicyOptions, transformerPolicy } from './transformer.js';
export { type BackendChoice, type BackendInfo, type InitBackendOptions, type Tf, initBackend, loadTensorflow } from './backend.js';
export { type GrpoLossInputs, type GrpoLossOptions, type LossAggregation, grpoLoss } from './grpo-loss.js';
export { type SampleOptions, sampleCompletions } from './sampling.js';
export {
  CATEGORY_WORDS,
  EOS,
  EVENT_CATEGORIES,
  type EventCategory,
  HI_VTG_CATEGORY,
  PAD,
  type SyntheticEvent,
  SyntheticHiVtgTask,
  type SyntheticSample,
  type SyntheticTaskOptions,
  type SyntheticVideo,
} from './task.js';
export { Rng } from '../internal/rng.js';
export { type RenderCurvesOptions, type TrainingCurves, renderTrainingCurves } from './plot.js';
export { beforeAfterTable, runSummary } from './summary.js';
