"""OpenRLHF: give this file as the reward URL (`python -m ra_rft_rewards path openrlhf` prints it).

    --reward.remote_url $(python -m ra_rft_rewards path openrlhf)

OpenRLHF loads it by path and calls reward_func(queries, prompts, labels); the answer carries "rewards" (the
RA-RFT total, for the advantages), "scores" (on [0, 1], for --algo.dynamic_filtering_enable) and "extra_logs"
(every part, logged as train/<part>).
"""
from ra_rft_rewards._openrlhf import get_reward, reward_func

__all__ = ["get_reward", "reward_func"]
