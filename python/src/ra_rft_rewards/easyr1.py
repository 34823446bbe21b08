"""EasyR1, batch call style: load this file by path (`python -m ra_rft_rewards path easyr1` prints it).

    worker.reward.reward_function=$(python -m ra_rft_rewards path easyr1):compute_score

EasyR1 reads REWARD_TYPE from the module ("batch": one request per batch); EasyR1 v0.3.2 and older read it from the
config instead (worker.reward.reward_type=batch). `easyr1_sequential.py` beside it is the sequential style.
"""
from ra_rft_rewards._easyr1 import REWARD_NAME, compute_score

REWARD_TYPE = "batch"
__all__ = ["REWARD_NAME", "REWARD_TYPE", "compute_score"]
