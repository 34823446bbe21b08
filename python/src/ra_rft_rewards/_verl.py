"""verl reward functions (the implementation behind `ra_rft_rewards.verl`, which verl loads by path).

Defined here, in a module imported by its real name, so that verl's prime manager can pickle them into its
process pool however many times verl loads the reward file (it loads it twice, for training and validation,
under a generated module name that is not in sys.modules)."""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional, Sequence

from ._api import score
from ._config import entry_options

#: The keys of every result besides "score": verl stacks each per sample and logs it.
KEYS = ("format", "refuseIoU", "explain", "correction", "explainAndCorrection", "unit")


def _dicts(solution_strs: Sequence[str], ground_truths: Sequence[Any], kwargs: Dict[str, Any]) -> List[Dict[str, float]]:
    options = entry_options(kwargs)
    options.pop("parts", None)  # verl logs every part: all four are computed
    rows = score(list(solution_strs), list(ground_truths), **options).as_dicts()
    out: List[Dict[str, float]] = []
    for row in rows:
        assert row is not None  # on_error="raise": a bad row raised
        out.append({"score": float(row["total"] or 0.0), **{key: float(row.get(key) or 0.0) for key in KEYS}})
    return out


def compute_score(data_source: Any = None, solution_str: Optional[str] = None, ground_truth: Any = None, extra_info: Any = None, **kwargs: Any) -> Any:
    """One sample (reward loop, naive, dapo: keywords) → {"score": total, "format", "refuseIoU", "explain",
    "correction", "explainAndCorrection", "unit"}; called with the batch manager's plural keywords
    (data_sources=, solution_strs=, ground_truths=, extra_infos=) → a list of such dicts. Options
    (custom_reward_function.reward_kwargs): profile, weights, embedder, think_prefilled, end_tokens."""
    if "solution_strs" in kwargs:
        return compute_score_batch(**kwargs)
    if solution_str is None:
        raise TypeError("compute_score: solution_str (or the batch manager's solution_strs) is required")
    return _dicts([solution_str], [ground_truth], kwargs)[0]


def compute_score_batch(data_sources: Any = None, solution_strs: Optional[Sequence[str]] = None, ground_truths: Optional[Sequence[Any]] = None,
                        extra_infos: Any = None, **kwargs: Any) -> List[Dict[str, float]]:
    """verl's batch reward manager: the whole batch in one request; one dict per sample."""
    if solution_strs is None or ground_truths is None:
        raise TypeError("compute_score_batch: solution_strs and ground_truths are required")
    return _dicts(list(solution_strs), list(ground_truths), kwargs)


async def compute_score_async(data_source: Any = None, solution_str: Optional[str] = None, ground_truth: Any = None, extra_info: Any = None,
                              **kwargs: Any) -> Dict[str, float]:
    """The reward loop's async form: awaited on verl's event loop; the engine call runs in a thread."""
    if solution_str is None:
        raise TypeError("compute_score_async: solution_str is required")
    return (await asyncio.to_thread(_dicts, [solution_str], [ground_truth], kwargs))[0]


def compute_score_prime(data_source: Any, solution_str: str, ground_truth: Any, extra_info: Any = None, **kwargs: Any) -> float:
    """verl's prime manager: positional arguments in a process pool, a number back (the RA-RFT total)."""
    return _dicts([solution_str], [ground_truth], kwargs)[0]["score"]


#: The name the examples/python shim used.
compute_score_float = compute_score_prime
