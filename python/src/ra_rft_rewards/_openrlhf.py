"""OpenRLHF reward function (the implementation behind `ra_rft_rewards.openrlhf`, which OpenRLHF loads by path)."""
from __future__ import annotations

import importlib
import sys
from typing import Any, Dict, Optional, Sequence

from ._api import report_audit, score_options
from ._config import entry_options
from ._transport import request


def _tensors(answer: Dict[str, Any]) -> Dict[str, Any]:
    try:
        torch: Any = importlib.import_module("torch")
    except ImportError:  # outside a trainer (tests, scripts): plain lists
        return answer

    def as_tensor(values: Any) -> Any:
        return torch.tensor(values, dtype=torch.float32)

    return {
        "rewards": as_tensor(answer["rewards"]),
        "scores": as_tensor(answer["scores"]),
        "extra_logs": {key: as_tensor(values) for key, values in answer["extra_logs"].items()},
    }


def get_reward(queries: Sequence[str], prompts: Optional[Sequence[str]], labels: Sequence[Any], **kwargs: Any) -> Dict[str, Any]:
    """OpenRLHF's remote reward protocol in one engine request: the response is found in each query after the
    prompt's assistant header (robust to VLM pad expansion), end tokens are stripped, and the answer is
    {"rewards": totals, "scores": totals on [0, 1], "extra_logs": {"format": […], "refuseIoU": […], …}} as lists."""
    queries = list(queries)
    payload: Dict[str, Any] = {"op": "getReward", "query": queries, "labels": list(labels)}
    if prompts is not None:
        payload["prompts"] = list(prompts)
    options = entry_options(kwargs)
    options.pop("parts", None)
    payload.update(score_options(**options))
    answer = request(payload)
    report_audit(answer)
    return {"rewards": answer["rewards"], "scores": answer["scores"], "extra_logs": answer["extra_logs"]}


def reward_func(queries: Sequence[str], prompts: Optional[Sequence[str]], labels: Sequence[Any], **kwargs: Any) -> Dict[str, Any]:
    """OpenRLHF's reward function: decoded queries (prompt + response, special tokens kept), the prompts and the
    --data.label_key values (target dicts or JSON text) → {"rewards", "scores", "extra_logs"} as tensors when torch
    is there (OpenRLHF logs each extra_logs key as train/<key>). A failure is printed and raised: OpenRLHF would
    only log it at INFO."""
    try:
        return _tensors(get_reward(queries, prompts, labels, **kwargs))
    except Exception as error:
        print(f"[ra-rft-rewards] reward_func failed: {error}", file=sys.stderr, flush=True)
        raise
