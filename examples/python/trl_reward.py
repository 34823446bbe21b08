"""Kept for configs that import it: the TRL reward functions of the pip package (ra_rft_rewards.trl).

    from trl_reward import rarft_reward                      # or: from ra_rft_rewards.trl import rarft_reward
    GRPOTrainer(..., reward_funcs=[rarft_reward])
    GRPOTrainer(..., reward_funcs=[make_rarft_reward(part="refuseIoU", on_error="none", use_async=True)])
"""
from ra_rft_rewards.trl import AsyncRaRftReward, RaRftReward, completion_text, rarft_reward, rarft_reward_async

__all__ = ["AsyncRaRftReward", "RaRftReward", "completion_text", "make_rarft_reward", "rarft_reward", "rarft_reward_async"]


def make_rarft_reward(part="total", target_key="target", on_error="raise", use_async=False, name=None, **options):
    """A TRL reward function (a picklable RaRftReward / AsyncRaRftReward) returning one part per completion; the
    name TRL logs defaults to rarft_reward or rarft_<part> as the part is spelled here."""
    cls = AsyncRaRftReward if use_async else RaRftReward
    return cls(part, target_key=target_key, on_error=on_error, name=name or ("rarft_reward" if part == "total" else f"rarft_{part}"), **options)
