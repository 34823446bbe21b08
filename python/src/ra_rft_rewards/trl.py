"""TRL reward functions (GRPOTrainer and AsyncGRPOTrainer): picklable callable classes, sync and async.

    from ra_rft_rewards.trl import RaRftReward, AsyncRaRftReward, rarft_reward
    GRPOTrainer(..., reward_funcs=[rarft_reward])                       # the RA-RFT total
    GRPOTrainer(..., reward_funcs=[RaRftReward("refuse_iou"), RaRftReward("format")])
    GRPOTrainer(..., reward_funcs=[AsyncRaRftReward(profile="strict", on_error="none")])

The dataset needs a `target` column (a target dict or its JSON text). TRL passes every column, plus
trainer_state, log_extra and log_metric, as keywords: the function that scores the total sends every part to
log_extra (a column of the completions table) and log_metric (its mean, per step) as `rarft/<part>`.
AsyncGRPOTrainer pickles every reward function into a spawned process: these are instances of module-level
classes, so they pickle (closures and lambdas do not). Conversational completions: the last assistant message
is scored, and a `reasoning_content` (or `thinking`) field that TRL's response parsing split off is put back as
`<think>…</think>`.
"""
from __future__ import annotations

import asyncio
import inspect
import math
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._api import PARTS, Scores, score
from ._config import entry_options
from ._errors import OptionsError

__all__ = ["RaRftReward", "AsyncRaRftReward", "completion_text", "rarft_reward", "rarft_reward_async"]

_REASONING_KEYS = ("reasoning_content", "thinking")
#: What a reward function can return: the total, one part, their sum, or the total mapped onto [0, 1].
RETURNABLE = ("total", *PARTS, "explain_and_correction", "unit")
_TS_NAMES = {"refuseIoU": "refuse_iou", "explainAndCorrection": "explain_and_correction"}


def completion_text(completion: Any) -> str:
    """The text to score: a plain completion as it is; for a conversation, the last assistant message, with its
    parsed-out reasoning restored as `<think>…</think>` (unless the content already opens with <think>)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Mapping):
        completion = [completion]
    messages = [m for m in completion if isinstance(m, Mapping) and m.get("role", "assistant") == "assistant"]
    if not messages:
        return ""
    message = messages[-1]
    content = message.get("content") or ""
    if isinstance(content, list):  # multimodal content parts: [{"type": "text", "text": …}]
        content = "".join(str(part.get("text", "")) for part in content if isinstance(part, Mapping))
    reasoning = next((message[key] for key in _REASONING_KEYS if message.get(key)), None)
    if reasoning and not str(content).lstrip().startswith("<think>"):
        content = f"<think>{reasoning}</think>{content}"
    return str(content)


class RaRftReward:
    """A TRL reward function returning one value per completion.

    part: "total" (default), "format", "refuse_iou", "explain", "correction", "explain_and_correction" or "unit"
      (the total on [0, 1]). TypeScript names (`refuseIoU`) work too.
    target_key: the dataset column holding the target (default "target").
    on_error: "raise" (default: the step stops with an error naming the row and field) or "none" (that sample
      gets None, which TRL leaves out of the group statistics).
    profile, weights, embedder, think_prefilled, end_tokens: as in `ra_rft_rewards.score` (defaults from
      RA_RFT_PROFILE, RA_RFT_WEIGHTS, RA_RFT_EMBEDDER).
    log_parts: send every part to TRL's log_extra / log_metric (default: only for part="total").
    name: the name TRL logs it under (default rarft_reward, or rarft_<part>).
    """

    #: The name TRL logs the function under (TRL reads __name__).
    __name__: str

    def __init__(self, part: str = "total", *, target_key: str = "target", on_error: str = "raise", log_parts: Optional[bool] = None,
                 name: Optional[str] = None, **options: Any) -> None:
        part = _TS_NAMES.get(part, part)
        if part not in RETURNABLE:
            raise OptionsError(f"{type(self).__name__}: part must be one of {', '.join(RETURNABLE)}, got {part!r}", field="part")
        if on_error not in ("raise", "none"):
            raise OptionsError(f"{type(self).__name__}: on_error must be 'raise' or 'none', got {on_error!r}", field="on_error")
        self.part = part
        self.target_key = target_key
        self.on_error = on_error
        self.log_parts = part == "total" if log_parts is None else bool(log_parts)
        self.options = entry_options(options)
        unknown = sorted(set(options) - set(self.options) - {"profile", "weights", "embedder", "parts", "think_prefilled", "end_tokens", "unit"})
        if unknown:
            raise OptionsError(f"{type(self).__name__}: unknown option(s) {', '.join(unknown)}", field=unknown[0])
        # Format or refuse_iou alone needs no embedder: score just that part (a target needs no reference texts).
        if part in ("format", "refuse_iou") and not self.log_parts and "parts" not in self.options:
            self.options["parts"] = [part]
        self.__name__ = name or ("rarft_reward" if part == "total" else f"rarft_{part}")
        self.__qualname__ = self.__name__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.part!r}, name={self.__name__!r})"

    def _inputs(self, completions: Sequence[Any], positional: Sequence[Any], kwargs: Dict[str, Any]) -> Tuple[List[str], List[Any]]:
        if positional:  # the 0.x form reward(prompts, completions, target)
            kwargs.setdefault(self.target_key, positional[0])
        if self.target_key not in kwargs:
            columns = sorted(k for k in kwargs if k not in ("trainer_state", "log_extra", "log_metric", "completion_ids"))
            raise KeyError(f"{self.__name__}: the dataset has no {self.target_key!r} column (columns passed: {columns})")
        return [completion_text(c) for c in completions], list(kwargs[self.target_key])

    def _log(self, scores: Scores, kwargs: Mapping[str, Any]) -> None:
        log_extra, log_metric = kwargs.get("log_extra"), kwargs.get("log_metric")
        if not self.log_parts or (log_extra is None and log_metric is None):
            return
        for part in ("format", "refuse_iou", "explain", "correction"):
            values = scores.column(part)
            if all(v is None for v in values):
                continue
            if callable(log_extra):
                log_extra(f"rarft/{part}", [math.nan if v is None else v for v in values])
            if callable(log_metric):
                present = [v for v in values if v is not None]
                if present:
                    log_metric(f"rarft/{part}", sum(present) / len(present))

    def _score(self, completions: Sequence[Any], positional: Sequence[Any], kwargs: Dict[str, Any]) -> List[Optional[float]]:
        texts, targets = self._inputs(completions, positional, kwargs)
        step = getattr(kwargs.get("trainer_state"), "global_step", None)  # the online audit's steps are TRL's
        scores = score(texts, targets, on_error="none" if self.on_error == "none" else "raise", step=step if isinstance(step, int) else None,
                       **self.options)
        self._log(scores, kwargs)
        return list(scores.column(self.part))

    def __call__(self, prompts: Any = None, completions: Any = None, *positional: Any, **kwargs: Any) -> List[Optional[float]]:
        if completions is None:
            raise TypeError(f"{self.__name__}: completions is required")
        return self._score(completions, positional, kwargs)


async def _async_signature(prompts: Any = None, completions: Any = None, *positional: Any, **kwargs: Any) -> Any:
    """The signature TRL sees on an AsyncRaRftReward (its code object marks it as a coroutine function)."""


class AsyncRaRftReward(RaRftReward):
    """RaRftReward as an `async def` reward function: TRL gathers async reward functions on its own event loop
    (`inspect.iscoroutinefunction` is true for these instances); the engine call runs in a thread."""

    async def __call__(self, prompts: Any = None, completions: Any = None, *positional: Any, **kwargs: Any) -> List[Optional[float]]:  # type: ignore[override]
        if completions is None:
            raise TypeError(f"{self.__name__}: completions is required")
        return await asyncio.to_thread(self._score, completions, positional, kwargs)

    # inspect.iscoroutinefunction looks at functions only; an instance that carries a coroutine's code object,
    # defaults and annotations counts as one (Python's own rule for function-like objects), and Python >= 3.12
    # also reads the marker that inspect.markcoroutinefunction sets.
    __code__ = _async_signature.__code__
    __defaults__ = _async_signature.__defaults__
    __kwdefaults__ = None
    __annotations__: Dict[str, Any] = {}


if hasattr(inspect, "_is_coroutine_mark"):
    AsyncRaRftReward._is_coroutine_marker = inspect._is_coroutine_mark  # type: ignore[attr-defined]

#: The RA-RFT total (format + refuse_iou + explain + correction) of each completion; logs every part.
rarft_reward = RaRftReward()
#: The same, as an async reward function.
rarft_reward_async = AsyncRaRftReward(name="rarft_reward_async")
