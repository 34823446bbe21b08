// ra-rft-rewards/evaluate: the RA-RFT paper's evaluation protocol from model outputs. The exact metrics are
// pure; the judge (openAIJudge) is the only part that does I/O (HTTP and its on-disk cache).
export { type EvaluatePredictionsOptions, evaluatePredictions } from './evaluate-predictions.js';
export type * from './types.js';
export { VTG_MISMATCH_CATEGORIES, categoryJaccard } from './categories.js';
export { explanationText, referenceText } from './texts.js';
export {
  type EvaluationInputKind,
  type InputError,
  type ParsedInput,
  type ParsedRecord,
  inferenceResultSchema,
  parseEvaluationInput,
  parseEvaluationRecord,
} from './inputs.js';
export { JUDGE_PROMPT_VERSION, JudgeError, type JudgeStats, type OpenAIJudgeOptions, openAIJudge, parseCategoryReply, parseReasoningReply } from './judge.js';
export { type EvaluationChart, type EvaluationTable, compareTable, evaluationCharts, evaluationTables, numericLeaves, paperTable, percent } from './report.js';
