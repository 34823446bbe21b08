"""Kept for configs that point at it: EasyR1's batch reward function from the pip package. New configs:
worker.reward.reward_function=$(python -m ra_rft_rewards path easyr1):compute_score"""
from ra_rft_rewards._easyr1 import REWARD_NAME, compute_score

REWARD_TYPE = "batch"
__all__ = ["REWARD_NAME", "REWARD_TYPE", "compute_score"]
