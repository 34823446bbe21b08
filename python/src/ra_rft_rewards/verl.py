"""verl: load this file by path (`python -m ra_rft_rewards path verl` prints it).

    custom_reward_function.path=$(python -m ra_rft_rewards path verl)
    custom_reward_function.name=compute_score          # reward loop (default), naive, dapo, batch
    custom_reward_function.name=compute_score_async    # reward loop, awaited on verl's loop
    custom_reward_function.name=compute_score_prime    # prime (a float per sample, in a process pool)

The functions live in ra_rft_rewards._verl, imported by its real name: they pickle however verl loads this file.
"""
from ra_rft_rewards._verl import KEYS, compute_score, compute_score_async, compute_score_batch, compute_score_float, compute_score_prime

__all__ = ["KEYS", "compute_score", "compute_score_async", "compute_score_batch", "compute_score_float", "compute_score_prime"]
