"""EasyR1, sequential call style (one reward input per call): load this file by path
(`python -m ra_rft_rewards path easyr1-sequential`). Same scores as easyr1.py, one request per sample."""
from ra_rft_rewards._easyr1 import REWARD_NAME, compute_score

REWARD_TYPE = "sequential"
__all__ = ["REWARD_NAME", "REWARD_TYPE", "compute_score"]
