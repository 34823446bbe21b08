// ra-rft-rewards/server: the HTTP reward server (OpenRLHF remote reward protocol and a JSON scoring API).
export { type RewardAppOptions, createRewardApp } from './app.js';
export { ASSISTANT_HEADERS, type ResponseCut, responseOf } from '../engine/response.js';
export { UNIT_SCORE_SOURCES, type UnitScoreSource, unitScore } from '../engine/unit-score.js';
export { MicroBatcher, type MicroBatcherOptions, type ScoreRequest } from './micro-batcher.js';
export { type RewardServer, type RewardServerOptions, startRewardServer } from './start.js';
