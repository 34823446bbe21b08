"""EasyR1 reward function (tested against EasyR1 main after v0.3.2, verl/workers/reward/function.py's loader and
its batch / sequential calls). Load it by path; it needs only rarft_client.py beside it:

    worker.reward.reward_function=/abs/path/examples/python/easyr1_reward.py:compute_score

EasyR1 now reads the call style from the module's REWARD_TYPE (this file: "batch"; easyr1_reward_sequential.py:
"sequential"). EasyR1 v0.3.2 and older read it from the config instead: add worker.reward.reward_type=batch.
Each input's `ground_truth` (the dataset's answer_key column) is the RaRftTarget, a dict or its JSON text.

Each result holds "overall" (the RA-RFT total: the reward EasyR1 trains on), "format", "accuracy" (refuseIoU on
[0, 1]), every part, and "unit" (the total mapped onto [0, 1]). The online filter's default
filter_key=overall keeps a group only when its mean lies in (0.01, 0.99); the total runs from -1 to 4, so set
algorithm.filter_key=accuracy (drop groups that all solve or all fail the grounding/refusal, DAPO's intent) or
algorithm.filter_key=unit (drop only groups whose rewards are all at an end of the range).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rarft_client import score  # noqa: E402

REWARD_TYPE = "batch"
REWARD_NAME = "ra-rft"


def _result(r):
    # Floats throughout: EasyR1 averages every key per step (JSON gives 1, not 1.0, for whole numbers).
    return {
        "overall": float(r["total"]),
        "format": float(r["format"]),
        "accuracy": min(1.0, max(0.0, float(r["refuseIoU"]))),
        "refuseIoU": float(r["refuseIoU"]),
        "explain": float(r["explain"]),
        "correction": float(r["correction"]),
        "explainAndCorrection": float(r["explainAndCorrection"]),
        "unit": float(r.get("unit", 0.0)),
    }


def compute_score(reward_inputs, **kwargs):
    """Batch: a list of {"response", "response_length", "ground_truth"} → a list of score dicts (one request).
    Sequential: one such dict → one score dict."""
    if isinstance(reward_inputs, dict):
        return compute_score([reward_inputs], **kwargs)[0]
    reward_inputs = list(reward_inputs)
    for i, x in enumerate(reward_inputs):
        if not isinstance(x, dict) or "response" not in x or "ground_truth" not in x:
            raise ValueError(f"compute_score: reward_inputs[{i}] must be a dict with 'response' and 'ground_truth'")
    results = score([x["response"] for x in reward_inputs], [x["ground_truth"] for x in reward_inputs])
    return [_result(r) for r in results]
