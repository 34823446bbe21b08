"""EasyR1, sequential call style (REWARD_TYPE = "sequential": one reward input per call):

    worker.reward.reward_function=/abs/path/examples/python/easyr1_reward_sequential.py:compute_score

Same scores as easyr1_reward.py (one request per sample, so prefer the batch file for speed)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from easyr1_reward import compute_score  # noqa: E402,F401

REWARD_TYPE = "sequential"
REWARD_NAME = "ra-rft"
