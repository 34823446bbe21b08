#!/usr/bin/env bash
# OpenRLHF with the ra-rft-rewards server as its remote reward model (OpenRLHF posts
# {"query", "prompts", "labels"} to /get_reward; labels come from the dataset's --label_key column,
# which must hold the RaRftTarget as JSON text). Start the server first:
#   npx ra-rft-rewards serve --port 8000 --embedder auto
set -euo pipefail
python3 -m openrlhf.cli.train_ppo_ray \
  --pretrain Qwen/Qwen2.5-VL-7B-Instruct \
  --prompt_data ./hi_vtg_openrlhf.jsonl --input_key prompt --label_key target \
  --remote_rm_url http://127.0.0.1:8000/get_reward \
  --advantage_estimator group_norm --n_samples_per_prompt 8 \
  "$@"
