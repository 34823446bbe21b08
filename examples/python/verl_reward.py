"""verl custom reward: custom_reward_function.path=verl_reward.py custom_reward_function.name=compute_score.
`ground_truth` is the RaRftTarget as JSON text (reward_model.ground_truth in the parquet)."""
from rarft_client import score


def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    result = score([solution_str], [ground_truth])[0]
    return {"score": result["total"], **{k: v for k, v in result.items() if k != "total"}}
