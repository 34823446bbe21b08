"""EasyR1 batch reward: worker.reward.reward_type=batch worker.reward.reward_function=easyr1_reward.py:compute_score.
Each input's `ground_truth` is the RaRftTarget as JSON text."""
from rarft_client import score


def compute_score(reward_inputs, **kwargs):
    results = score([x["response"] for x in reward_inputs], [x["ground_truth"] for x in reward_inputs])
    return [{"overall": r["total"], "format": r["format"], "accuracy": r["refuseIoU"], **r} for r in results]
