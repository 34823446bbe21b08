"""OpenRLHF reward-function file, the alternative to the HTTP URL (tested against OpenRLHF v0.11's
SingleTurnAgentExecutor, openrlhf/utils/agent.py): OpenRLHF loads a `--reward.remote_url` ending in .py by path
and calls its `reward_func(queries, prompts, labels)`. It needs only rarft_client.py beside it:

    --reward.remote_url /abs/path/examples/python/openrlhf_reward.py

Scoring still runs in the ra-rft-rewards server (RA_RFT_REWARD_URL): the file forwards OpenRLHF's own request to
its /get_reward, which finds each response after the prompt's assistant header (robust to VLM pad expansion),
strips the trailing <|im_end|>, and answers "rewards" (the RA-RFT total, for the advantages), "scores" (on
[0, 1], for --algo.dynamic_filtering_enable) and "extra_logs" (every part, logged each step).

A failure is printed to stderr and raised: OpenRLHF would log it at INFO and fail later with an unrelated
message. RA_RFT_ON_ERROR=zero scores such samples 0 instead, with extra_logs["rarft_error"] = 1.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rarft_client import get_reward  # noqa: E402

_PARTS = ("format", "refuseIoU", "explain", "correction", "explainAndCorrection")


def _tensors(answer):
    try:
        import torch
    except ImportError:  # outside a trainer (tests, scripts): plain lists
        return answer
    as_tensor = lambda values: torch.tensor(values, dtype=torch.float32)  # noqa: E731
    return {
        "rewards": as_tensor(answer["rewards"]),
        "scores": as_tensor(answer["scores"]),
        "extra_logs": {key: as_tensor(values) for key, values in answer["extra_logs"].items()},
    }


def reward_func(queries, prompts, labels, **kwargs):
    """OpenRLHF's reward function: lists of decoded queries (prompt + response, special tokens kept), the prompts
    and the --data.label_key values (target dicts or JSON text) → {"rewards", "scores", "extra_logs"}."""
    zero = os.environ.get("RA_RFT_ON_ERROR", "raise").lower() == "zero"
    try:
        answer = get_reward(queries, prompts, labels)
        if zero:
            answer["extra_logs"]["rarft_error"] = [0.0] * len(answer["rewards"])
    except Exception as error:  # noqa: BLE001 — reported loudly, then raised or scored 0 as configured
        print(f"[ra-rft-rewards] reward_func failed: {error}", file=sys.stderr, flush=True)
        if not zero:
            raise
        n = len(queries)
        answer = {"rewards": [0.0] * n, "scores": [0.0] * n, "extra_logs": {**{k: [0.0] * n for k in _PARTS}, "rarft_error": [1.0] * n}}
    return _tensors(answer)
