"""Each reward of the TypeScript library under its snake_case name. A str completion gives one value; a list of
completions gives a list (one request for the whole batch). Targets: a dict or its JSON text, one per completion
or one for all. Options take the Python spelling (`min_refusal_words=`) and reach the library unchanged."""
from __future__ import annotations

from typing import Any, Dict, List, Literal, Mapping, NamedTuple, Optional, Sequence, Union, overload

from ._api import Embedder, OnError, Profile, Target, _listed, call, camel, completion_only, completion_target, distinct_targets
from ._errors import OptionsError
from ._transport import request

Completions = Sequence[str]
Targets = Union[Sequence[Target], Target]
FormatProfile = Literal["ra-rft", "strict", "r1", "tvg-r1"]


def _opts(**options: Any) -> Dict[str, Any]:
    return {key: value for key, value in options.items() if value is not None}


@overload
def format_reward(completion: str, *, profile: Optional[FormatProfile] = None, think_prefilled: Optional[bool] = None) -> float: ...  # type: ignore  # str is also a Sequence[str]: the str form is checked first
@overload
def format_reward(completion: Completions, *, profile: Optional[FormatProfile] = None, think_prefilled: Optional[bool] = None) -> List[float]: ...
def format_reward(completion: Union[str, Completions], *, profile: Optional[FormatProfile] = None, think_prefilled: Optional[bool] = None) -> Any:
    """`formatReward`: 1 when the tag layout is right for the profile, else 0."""
    return completion_only("formatReward", completion, _opts(profile=profile, think_prefilled=think_prefilled))


@overload
def refuse_iou(completion: str, target: Target, *, profile: Optional[Profile] = None, min_refusal_words: Optional[int] = None) -> float: ...  # type: ignore  # str is also a Sequence[str]: the str form is checked first
@overload
def refuse_iou(completion: Completions, target: Targets, *, profile: Optional[Profile] = None, min_refusal_words: Optional[int] = None) -> List[float]: ...
def refuse_iou(completion: Union[str, Completions], target: Targets, *, profile: Optional[Profile] = None, min_refusal_words: Optional[int] = None) -> Any:
    """`refuseIoU`: refusal for irrelevant queries, IoU·(1−|Δs|/D)·(1−|Δe|/D) for relevant ones."""
    return completion_target("refuseIoU", completion, target, _opts(profile=profile, min_refusal_words=min_refusal_words))


@overload
def explanation_similarity(completion: str, target: Target, *, embedder: Optional[Embedder] = None, profile: Optional[Profile] = None) -> float: ...  # type: ignore  # str is also a Sequence[str]: the str form is checked first
@overload
def explanation_similarity(completion: Completions, target: Targets, *, embedder: Optional[Embedder] = None, profile: Optional[Profile] = None) -> List[float]: ...
def explanation_similarity(completion: Union[str, Completions], target: Targets, *, embedder: Optional[Embedder] = None, profile: Optional[Profile] = None) -> Any:
    """`explanationSimilarity`: (cos(pred, answer)+1)/2 − (cos(pred, contrast)+1)/2 with the engine's embedder."""
    return completion_target("explanationSimilarity", completion, target, _opts(profile=profile), embedder=embedder)


@overload
def query_correction(completion: str, target: Target, *, embedder: Optional[Embedder] = None, metric: Optional[Literal["embedding", "levenshtein"]] = None, profile: Optional[Profile] = None) -> float: ...  # type: ignore  # str is also a Sequence[str]: the str form is checked first
@overload
def query_correction(completion: Completions, target: Targets, *, embedder: Optional[Embedder] = None, metric: Optional[Literal["embedding", "levenshtein"]] = None, profile: Optional[Profile] = None) -> List[float]: ...
def query_correction(completion: Union[str, Completions], target: Targets, *, embedder: Optional[Embedder] = None,
                     metric: Optional[Literal["embedding", "levenshtein"]] = None, profile: Optional[Profile] = None) -> Any:
    """`queryCorrection`: NIL for relevant queries, similarity of the correction to the original query otherwise."""
    return completion_target("queryCorrection", completion, target, _opts(metric=metric, profile=profile), embedder=embedder)


def _variant(ts_name: str, doc: str) -> Any:
    def variant(completion: Union[str, Completions], target: Targets, **options: Any) -> Any:
        return completion_target(ts_name, completion, target, options)

    variant.__doc__ = f"`{ts_name}`: {doc} A str completion gives a float, a list gives a list."
    return variant


plain_iou = _variant("plainIoU", "plain IoU with the Time-R1 parser (TimeZero, VideoChat-R1); option empty_union_score.")
time_r1_iou = _variant("timeR1IoU", "Time-R1's iou_v2, the last `a to b` of the last answer.")
tvg_r1_iou = _variant("tvgR1IoU", "TVG-R1's IoU of `<time>[s, e]</time>`.")
tvg_r1_reward = _variant("tvgR1Reward", "TVG-R1's 0.1·format + 0.9·IoU.")
time_lens_iou = _variant("timeLensIoU", "TimeLens's training IoU of the first span.")
time_lens_eval_iou = _variant("timeLensEvalIoU", "TimeLens's evaluation IoU.")
museg_reward = _variant("musegReward", "MUSEG's format + segment-matching reward; option timestamp_reward.")
temporal_r1_iou = _variant("temporalR1IoU", "Temporal-R1's IoU.")
temporal_r1_reward = _variant("temporalR1Reward", "Temporal-R1 / RLT's format + IoU reward.")
temp_samp_reward = _variant("tempSampReward", "TempSamp-R1's shaped IoU; options threshold, alpha.")
for _name, _fn in list(globals().items()):
    if getattr(_fn, "__name__", None) == "variant":
        _fn.__name__ = _fn.__qualname__ = _name


@overload
def classify_answer(completion: str, *, profile: Optional[Profile] = None, min_refusal_words: Optional[int] = None) -> str: ...  # type: ignore  # str is also a Sequence[str]: the str form is checked first
@overload
def classify_answer(completion: Completions, *, profile: Optional[Profile] = None, min_refusal_words: Optional[int] = None) -> List[str]: ...
def classify_answer(completion: Union[str, Completions], *, profile: Optional[Profile] = None, min_refusal_words: Optional[int] = None) -> Any:
    """`classifyAnswer`: how the profile reads the answer (a span, a refusal, or neither)."""
    return completion_only("classifyAnswer", completion, _opts(profile=profile, min_refusal_words=min_refusal_words))


@overload
def strip_end_tokens(completion: str, *, tokens: Optional[Sequence[str]] = None, extra_tokens: Optional[Sequence[str]] = None) -> str: ...  # type: ignore  # str is also a Sequence[str]: the str form is checked first
@overload
def strip_end_tokens(completion: Completions, *, tokens: Optional[Sequence[str]] = None, extra_tokens: Optional[Sequence[str]] = None) -> List[str]: ...
def strip_end_tokens(completion: Union[str, Completions], *, tokens: Optional[Sequence[str]] = None, extra_tokens: Optional[Sequence[str]] = None) -> Any:
    """`stripEndTokens`: removes trailing <|im_end|>, <|eot_id|>, </s>… from decoded text."""
    return completion_only("stripEndTokens", completion, _opts(tokens=None if tokens is None else list(tokens), extra_tokens=None if extra_tokens is None else list(extra_tokens)))


def temporal_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """`temporalIoU`: plain IoU of two segments [start, end]."""
    return float(call("temporalIoU", [[list(a), list(b)]])[0])


def group_relative_advantage(rewards: Sequence[Optional[float]], *, group_size: int, scale: Optional[Literal["group", "batch", "none"]] = None,
                             epsilon: Optional[float] = None, std: Optional[Literal["unbiased", "population"]] = None,
                             baseline: Optional[Literal["mean", "leave-one-out"]] = None) -> List[float]:
    """`groupRelativeAdvantage`: GRPO advantages (r − baseline) / (std + ε) within groups of `group_size`; a None
    reward is left out of the statistics and gets advantage 0 (TRL's NaN)."""
    listed: Sequence[Optional[float]] = rewards.tolist() if hasattr(rewards, "tolist") else rewards
    values = [None if r is None else float(r) for r in listed]
    return [float(x) for x in call("groupRelativeAdvantage", [[values]], _opts(group_size=group_size, scale=scale, epsilon=epsilon, std=std, baseline=baseline))[0]]


def hi_vtg_targets(item: Union[Mapping[str, Any], Sequence[Mapping[str, Any]]], *, irrelevant_index: Optional[int] = None) -> Any:
    """`hiVtgTargets`: the relevant and hard-irrelevant targets of a HI-VTG annotation item (or of each item of a
    list, in one request): {"relevant": target or None, "irrelevant": target or None}."""
    options = _opts(irrelevant_index=irrelevant_index)
    if isinstance(item, Mapping):
        return call("hiVtgTargets", [[dict(item)]], options)[0]
    return call("hiVtgTargets", [[dict(one)] for one in item], options)


def hi_vtg_rows(items: Sequence[Mapping[str, Any]], *, irrelevant_index: Optional[int] = None) -> List[Dict[str, Any]]:
    """Trainer rows from HI-VTG annotation items: one row per query, {"video", "query", "relevant", "target"}, paired
    by the library's hiVtgTargets (as the RA-RFT reference trainer pairs them)."""
    items = list(items)
    rows: List[Dict[str, Any]] = []
    for item, pair in zip(items, hi_vtg_targets(items, irrelevant_index=irrelevant_index)):
        for key in ("relevant", "irrelevant"):
            target = pair.get(key)
            if target is None:
                continue
            query = (pair.get("queries") or {}).get(key)
            rows.append({"video": item.get("video"), "query": query, "relevant": key == "relevant", "target": target})
    return rows


class VariantScores(NamedTuple):
    """A variant's reward per completion (None for a row that failed under on_error="none"), with its format and IoU
    parts where the variant has them (None for group variants)."""

    variant: str
    scores: List[Optional[float]]
    format: Optional[List[Optional[float]]]
    iou: Optional[List[Optional[float]]]


def variants() -> List[Dict[str, Any]]:
    """The built-in variants of the registry: id, name, whether it scores whole groups, and its extra inputs."""
    return list(request({"op": "hello"})["variants"])


def variant_reward(variant: str, completions: Sequence[str], targets: Union[Sequence[Target], Target], *,
                   extras: Optional[Mapping[str, Sequence[Any]]] = None, group_size: Optional[int] = None,
                   on_error: OnError = "raise") -> VariantScores:
    """Scores a batch with a built-in variant by its id (`variants()` lists them: "time-r1", "taro", "timesearch-r",
    "video-r1-t-grpo", …). `extras` passes the variant's extra inputs by name (`diff_log_prob` or `diffLogProb`):
    one value per completion, or one per group for a group input. `group_size`: completions per prompt, required by
    group variants (consecutive groups)."""
    completions = _listed(completions, "completions")
    target_list = [targets] * len(completions) if isinstance(targets, (Mapping, str)) else _listed(targets, "targets")
    if len(target_list) != len(completions):
        raise OptionsError(f"variant_reward: {len(completions)} completions but {len(target_list)} targets", field="targets")
    unique, index = distinct_targets(target_list)
    payload: Dict[str, Any] = {"op": "variant", "variant": variant, "completions": completions, "targets": unique}
    if index is not None:
        payload["targetIndex"] = index
    if extras:
        payload["extras"] = {camel(name): [v.tolist() if hasattr(v, "tolist") else v for v in values] for name, values in extras.items()}
    if group_size is not None:
        payload["groupSize"] = int(group_size)
    if on_error == "none":
        payload["onError"] = "null"
    result = request(payload)
    return VariantScores(result["variant"], result["scores"], result.get("format"), result.get("iou"))
