"""Kept for configs that point at it: OpenRLHF's reward_func from the pip package. New configs:
--reward.remote_url $(python -m ra_rft_rewards path openrlhf)"""
from ra_rft_rewards._openrlhf import reward_func

__all__ = ["reward_func"]
