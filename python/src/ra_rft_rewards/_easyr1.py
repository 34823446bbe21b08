"""EasyR1 reward function (the implementation behind `ra_rft_rewards.easyr1`, which EasyR1 loads by path)."""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Union

from ._api import score
from ._config import entry_options
from ._errors import OptionsError

REWARD_NAME = "ra-rft"


def _result(row: Mapping[str, Any]) -> Dict[str, float]:
    # Floats throughout: EasyR1 averages every key per step as reward/<key>.
    refuse = float(row["refuseIoU"])
    return {
        "overall": float(row["total"]),
        "format": float(row["format"]),
        "accuracy": min(1.0, max(0.0, refuse)),
        "refuseIoU": refuse,
        "explain": float(row["explain"]),
        "correction": float(row["correction"]),
        "explainAndCorrection": float(row["explainAndCorrection"]),
        "unit": float(row["unit"]),
    }


def compute_score(reward_inputs: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]], **kwargs: Any) -> Any:
    """Batch: a list of {"response", "response_length", "ground_truth"} → a list of score dicts (one request).
    Sequential: one such dict → one score dict. Each holds "overall" (the RA-RFT total, what EasyR1 trains on),
    "format", "accuracy" (refuseIoU clamped to [0, 1], for algorithm.filter_key), every part and "unit".
    Options (worker.reward.reward_function_kwargs): profile, weights, embedder, think_prefilled, end_tokens."""
    if isinstance(reward_inputs, Mapping):
        return compute_score([reward_inputs], **kwargs)[0]
    inputs = list(reward_inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Mapping) or "response" not in x or "ground_truth" not in x:
            raise OptionsError(f"compute_score: reward_inputs[{i}] must be a dict with 'response' and 'ground_truth'", field=f"reward_inputs[{i}]")
    options = entry_options(kwargs)
    options.pop("parts", None)
    rows = score([x["response"] for x in inputs], [x["ground_truth"] for x in inputs], **options).as_dicts()
    out: List[Dict[str, float]] = []
    for row in rows:
        assert row is not None
        out.append(_result(row))
    return out
