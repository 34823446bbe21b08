#!/usr/bin/env bash
# OpenRLHF (v0.10.2+ flag names, tested against v0.11) with ra-rft-rewards as the reward (pip install ra-rft-rewards).
# The dataset (JSONL) needs the prompt column (--data.input_key) and the target column (--data.label_key: the
# RaRftTarget as an object or JSON text); see docs/integration.md for the rows and the video column.
# REWARD is the package's reward-function file (default; its engine runs inside each rollout worker), or a
# `ra-rft-rewards serve` /get_reward URL (several, comma-separated, for several servers).
set -euo pipefail
REWARD=${REWARD:-$(python3 -m ra_rft_rewards path openrlhf)}
python3 -m openrlhf.cli.train_ppo_ray \
  --actor.model_name_or_path Qwen/Qwen2.5-VL-7B-Instruct \
  --data.prompt_dataset ./hi_vtg_openrlhf.jsonl --data.input_key prompt --data.label_key target \
  --data.apply_chat_template \
  --reward.remote_url "$REWARD" \
  --algo.advantage.estimator group_norm --rollout.n_samples_per_prompt 8 \
  --algo.dynamic_filtering_enable --algo.dynamic_filtering_range 0 1 \
  "$@"
