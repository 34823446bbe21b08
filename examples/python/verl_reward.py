"""verl custom reward (tested against verl 0.7's calling conventions). Load it by path from any working directory;
it needs only rarft_client.py beside it (no PYTHONPATH, no install):

    custom_reward_function.path=/abs/path/examples/python/verl_reward.py
    custom_reward_function.name=compute_score          # reward loop (default), naive, dapo, batch
    custom_reward_function.name=compute_score_async    # reward loop: an async def, awaited on verl's loop
    custom_reward_function.name=compute_score_float    # prime (a float per sample, called positionally)

`ground_truth` is the RaRftTarget: a dict (a parquet struct, None-filled keys allowed) or its JSON text, under
`reward_model.ground_truth`. Each sample's result is {"score": total, "format", "refuseIoU", "explain",
"correction", "explainAndCorrection", "unit"} with the same keys every time (verl stacks them per key).
RA_RFT_ON_ERROR=zero scores a failed sample 0 (with "rarft_error": 1) instead of raising.
"""
import asyncio
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rarft_client import score  # noqa: E402

_KEYS = ("format", "refuseIoU", "explain", "correction", "explainAndCorrection", "unit")


def _on_error_zero():
    return os.environ.get("RA_RFT_ON_ERROR", "raise").lower() == "zero"


def _as_dict(result):
    out = {"score": float(result["total"]), **{key: float(result.get(key, 0.0)) for key in _KEYS}}
    if _on_error_zero():
        out["rarft_error"] = 0.0
    return out


def _failed():
    return {"score": 0.0, **{key: 0.0 for key in _KEYS}, "rarft_error": 1.0}


def _score_all(solution_strs, ground_truths):
    try:
        return [_as_dict(r) for r in score(solution_strs, ground_truths)]
    except ValueError as error:
        if not _on_error_zero():
            raise
        print(f"[ra-rft-rewards] scoring failed, scored 0: {error}", file=sys.stderr)
        return [_failed() for _ in solution_strs]


def compute_score(data_source=None, solution_str=None, ground_truth=None, extra_info=None, **kwargs):
    """One sample (reward loop, naive, dapo: keyword arguments) → a dict with "score"; or, called with the batch
    manager's plural keywords (data_sources=, solution_strs=, ground_truths=, extra_infos=) → a list of dicts."""
    if "solution_strs" in kwargs:
        return compute_score_batch(**kwargs)
    if solution_str is None:
        raise TypeError("compute_score: solution_str (or the batch manager's solution_strs) is required")
    return _score_all([solution_str], [ground_truth])[0]


def compute_score_batch(data_sources=None, solution_strs=None, ground_truths=None, extra_infos=None, **kwargs):
    """verl's batch reward manager: the whole batch in one request; one dict per sample."""
    solution_strs = list(solution_strs)
    ground_truths = list(ground_truths)
    if len(solution_strs) != len(ground_truths):
        raise ValueError(f"compute_score_batch: {len(solution_strs)} solution_strs but {len(ground_truths)} ground_truths")
    return _score_all(solution_strs, ground_truths)


async def compute_score_async(data_source=None, solution_str=None, ground_truth=None, extra_info=None, **kwargs):
    """The reward loop's async form: awaited on verl's event loop, the request runs in a thread."""
    return (await asyncio.to_thread(_score_all, [solution_str], [ground_truth]))[0]


def compute_score_float(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's prime manager takes a number per sample, called positionally in a process pool."""
    return float(compute_score(data_source, solution_str, ground_truth, extra_info)["score"])


# verl loads this file under a made-up module name that is not in sys.modules, so its functions could not be
# pickled for prime's process pool; registering the module makes them picklable by reference (fork start).
if getattr(sys.modules.get(__name__), "compute_score_float", None) is not compute_score_float:
    _module = types.ModuleType(__name__)
    _module.__dict__.update(globals())
    sys.modules[__name__] = _module
