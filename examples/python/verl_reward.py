"""Kept for configs that point at it: verl's reward functions from the pip package. New configs:
custom_reward_function.path=$(python -m ra_rft_rewards path verl). Names: compute_score, compute_score_async,
compute_score_batch, compute_score_prime (prime; compute_score_float is the same). They pickle for prime however
often verl loads this file: they live in ra_rft_rewards._verl."""
from ra_rft_rewards._verl import compute_score, compute_score_async, compute_score_batch, compute_score_float, compute_score_prime

__all__ = ["compute_score", "compute_score_async", "compute_score_batch", "compute_score_float", "compute_score_prime"]
