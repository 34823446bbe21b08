// ra-rft-rewards/server: the HTTP reward server (OpenRLHF remote reward protocol and a JSON scoring API).
export { type RewardAppOptions, createRewardApp, responseOf } from './app.js';
export { MicroBatcher, type MicroBatcherOptions, type ScoreRequest } from './micro-batcher.js';
export { type RewardServer, type RewardServerOptions, startRewardServer } from './start.js';
