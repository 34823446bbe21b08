"""The library's functions from Python: each call crosses the pipe once, a batch included. Numbers are the
engine's (the TypeScript library's), bit for bit."""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Iterator, List, Literal, Mapping, NamedTuple, Optional, Sequence, Union, overload

from ._errors import OptionsError
from ._transport import EmbedFunction, StdioEngine, get_engine, logger, request

#: An embedder: a name ("auto", "use-lite", "minilm", "trigram") or a Python callable, texts → one vector each
#: (for example SentenceTransformer("all-MiniLM-L6-v2").encode: the reference's own embedder on your GPU).
Embedder = Union[str, EmbedFunction]

#: A target: a dict (a parquet struct with None-filled keys is fine), or its JSON text.
Target = Union[Mapping[str, Any], str]
Profile = Literal["ra-rft", "strict"]
OnError = Literal["raise", "none"]

#: The four RA-RFT parts by their Python names, and the TypeScript names the engine uses.
PARTS: Dict[str, str] = {"format": "format", "refuse_iou": "refuseIoU", "explain": "explain", "correction": "correction"}
_TS_TO_PY = {ts: py for py, ts in PARTS.items()}
_TS_TO_PY.update(total="total", explainAndCorrection="explain_and_correction")


def camel(name: str) -> str:
    """snake_case → camelCase (`min_refusal_words` → `minRefusalWords`); camelCase passes unchanged."""
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def ts_part(name: str) -> str:
    """A part's TypeScript name from its Python or TypeScript name (`refuse_iou` or `refuseIoU`)."""
    if name in PARTS:
        return PARTS[name]
    if name in PARTS.values():
        return name
    raise OptionsError(f"unknown reward part {name!r}: one of {', '.join(PARTS)}", field="parts")


class Reward(NamedTuple):
    """Every part of one completion's RA-RFT reward; None for a part that was not asked for."""

    total: Optional[float]
    format: Optional[float]
    refuse_iou: Optional[float]
    explain: Optional[float]
    correction: Optional[float]
    explain_and_correction: Optional[float]
    #: The total mapped onto [0, 1] (OpenRLHF's `scores`, EasyR1 / DAPO group filters); None without all parts.
    unit: Optional[float]


class Scores(Sequence[Optional[Reward]]):
    """The rewards of a batch: a sequence of Reward (None for a row that failed under on_error="none") with each
    part also as a column (`scores.total`, `scores.refuse_iou`…; None where not computed)."""

    __slots__ = ("columns", "unit", "embedder", "errors", "_n")

    def __init__(self, columns: Dict[str, List[Optional[float]]], unit: Optional[List[Optional[float]]], embedder: Optional[str],
                 errors: List[Dict[str, str]], n: int) -> None:
        self.columns = columns
        self.unit = unit
        self.embedder = embedder
        self.errors = errors
        self._n = n

    def __len__(self) -> int:
        return self._n

    def column(self, part: str) -> List[Optional[float]]:
        """One part for every row (`total`, `format`, `refuse_iou`, `explain`, `correction`, `explain_and_correction`,
        `unit`); a part that was not computed is a list of None."""
        if part == "unit":
            return self.unit if self.unit is not None else [None] * self._n
        key = {"refuse_iou": "refuseIoU", "explain_and_correction": "explainAndCorrection"}.get(part, part)
        if key not in _TS_TO_PY:
            raise OptionsError(f"unknown column {part!r}", field="part")
        return self.columns.get(key) or [None] * self._n

    @property
    def total(self) -> List[Optional[float]]:
        return self.column("total")

    @property
    def format(self) -> List[Optional[float]]:
        return self.column("format")

    @property
    def refuse_iou(self) -> List[Optional[float]]:
        return self.column("refuse_iou")

    @property
    def explain(self) -> List[Optional[float]]:
        return self.column("explain")

    @property
    def correction(self) -> List[Optional[float]]:
        return self.column("correction")

    @overload
    def __getitem__(self, index: int) -> Optional[Reward]: ...
    @overload
    def __getitem__(self, index: slice) -> List[Optional[Reward]]: ...
    def __getitem__(self, index: Union[int, slice]) -> Union[Optional[Reward], List[Optional[Reward]]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._n))]
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError(index)
        row: int = index
        total = self.columns["total"][row]
        if total is None:
            return None

        def pick(name: str) -> Optional[float]:
            column = self.columns.get(name)
            return None if column is None else column[row]

        return Reward(total, pick("format"), pick("refuseIoU"), pick("explain"), pick("correction"), pick("explainAndCorrection"),
                      None if self.unit is None else self.unit[row])

    def __iter__(self) -> Iterator[Optional[Reward]]:
        return (self[i] for i in range(self._n))

    def as_dicts(self) -> List[Optional[Dict[str, Optional[float]]]]:
        """One dict per row with the TypeScript names (`total`, `format`, `refuseIoU`, …, `unit`)."""
        names = [name for name in ("total", "format", "refuseIoU", "explain", "correction", "explainAndCorrection") if name in self.columns]
        out: List[Optional[Dict[str, Optional[float]]]] = []
        for i in range(self._n):
            if self.columns["total"][i] is None:
                out.append(None)
                continue
            row = {name: self.columns[name][i] for name in names}
            if self.unit is not None:
                row["unit"] = self.unit[i]
            out.append(row)
        return out

    def __repr__(self) -> str:
        return f"Scores({self._n} rows, parts={[_TS_TO_PY[c] for c in self.columns]}, embedder={self.embedder!r})"


def embedder_name(embedder: Optional[Embedder]) -> Optional[str]:
    """The engine's name for `embedder`. A Python callable is registered with this process's engine, which calls
    it back over the pipe for each batch's new texts (each distinct text once per batch; reference texts kept)."""
    if embedder is None or isinstance(embedder, str):
        return embedder
    if not callable(embedder):
        raise OptionsError(f"embedder must be a name or a callable texts -> vectors, got {type(embedder).__name__}", field="embedder")
    engine = get_engine()
    if not isinstance(engine, StdioEngine):
        raise OptionsError("a Python callable embedder needs the engine in this process: unset RA_RFT_REWARD_URL (a shared server "
                           "embeds with its own --embedder)", field="embedder")
    name = f"python:{getattr(embedder, '__qualname__', type(embedder).__name__)}@{id(embedder):x}"
    engine.embedders[name] = embedder
    return name


def _weights(weights: Optional[Mapping[str, float]]) -> Optional[Dict[str, float]]:
    if weights is None:
        return None
    return {ts_part(name): float(value) for name, value in weights.items()}


def _listed(values: Any, name: str) -> List[Any]:
    if isinstance(values, (str, bytes)) or isinstance(values, Mapping):
        raise OptionsError(f"{name} must be a list, got {type(values).__name__}", field=name)
    return list(values)


def report_audit(result: Mapping[str, Any]) -> None:
    """Logs a warning (logger "ra_rft_rewards", which the trainer's logging shows) for each audit detector that began
    to fire over what the engine scored: refusal collapse, whole-video spans, format-only reward, dead groups…"""
    for finding in result.get("audit") or []:
        logger.warning("ra-rft-rewards audit: %s (%s) fired at step %s: %s (docs/audit.md says what to do)",
                       finding.get("detector"), finding.get("severity"), _step_text(finding.get("step")), finding.get("message"))


def _step_text(step: Any) -> str:
    return str(int(step)) if isinstance(step, (int, float)) else str(step)


def score_options(*, profile: Optional[Profile] = None, weights: Optional[Mapping[str, float]] = None, embedder: Optional[Embedder] = None,
                  parts: Optional[Iterable[str]] = None, think_prefilled: Optional[bool] = None,
                  end_tokens: Union[Sequence[str], Literal[False], None] = None, on_error: OnError = "raise",
                  unit: Optional[str] = None, step: Optional[int] = None) -> Dict[str, Any]:
    """The engine's request fields for the score options (Python names in, TypeScript names out)."""
    if on_error not in ("raise", "none"):
        raise OptionsError(f"on_error must be 'raise' or 'none', got {on_error!r}", field="on_error")
    fields: Dict[str, Any] = {}
    if profile is not None:
        fields["profile"] = profile
    if weights is not None:
        fields["weights"] = _weights(weights)
    if embedder is not None:
        fields["embedder"] = embedder_name(embedder)
    if parts is not None:
        fields["parts"] = [ts_part(p) for p in parts]
    if think_prefilled is not None:
        fields["thinkPrefilled"] = bool(think_prefilled)
    if end_tokens is not None:
        fields["endTokens"] = False if end_tokens is False else list(end_tokens)
    if unit is not None:
        fields["unit"] = ts_part(unit) if unit in PARTS else unit
    if on_error == "none":
        fields["onError"] = "null"
    if step is not None:
        fields["step"] = int(step)
    return fields


_MISSING = object()


def distinct_targets(targets: List[Any]) -> "tuple[List[Any], Optional[List[int]]]":
    """The distinct targets and each row's index into them, or (targets, None) when all differ. A GRPO batch holds
    each prompt's target G times: as the same object (verl repeats rows) or as equal dicts side by side (TRL), so
    identity and equality with the row before find them, at a fraction of a microsecond a row."""
    unique: List[Any] = []
    index: List[int] = []
    seen: Dict[int, int] = {}
    previous: Any = _MISSING
    previous_k = -1
    append = index.append
    for target in targets:
        if target is previous:  # the common case: the group's rows side by side
            append(previous_k)
            continue
        k = seen.get(id(target))
        if k is None:
            if previous is not _MISSING:
                try:
                    if bool(target == previous):
                        k = previous_k
                except (ValueError, TypeError):  # numpy arrays inside compare elementwise: count them as different
                    pass
            if k is None:
                k = len(unique)
                unique.append(target)
            seen[id(target)] = k
        append(k)
        previous, previous_k = target, k
    return (unique, index) if len(unique) < len(targets) else (targets, None)


def score(completions: Sequence[str], targets: Union[Sequence[Target], Target], *, profile: Optional[Profile] = None,
          weights: Optional[Mapping[str, float]] = None, embedder: Optional[Embedder] = None, parts: Optional[Iterable[str]] = None,
          think_prefilled: Optional[bool] = None, end_tokens: Union[Sequence[str], Literal[False], None] = None,
          on_error: OnError = "raise", unit: Optional[str] = None, step: Optional[int] = None) -> Scores:
    """Scores a batch with the RA-RFT reward (`raRftRewardBatch`): one request, one embedding call.

    completions: decoded model outputs; trailing end tokens (<|im_end|>, <|eot_id|>…) are stripped unless
      end_tokens=False (or a list of your own).
    targets: one target per completion, or one target (a dict) shared by all.
    profile: "ra-rft" (the reference, default) or "strict". weights: per part, e.g. {"explain": 0.5}.
    embedder: "auto" (default: local MiniLM files, else USE-lite; never the hub), "use-lite", "minilm", "trigram", or a
      Python callable texts → vectors (e.g. SentenceTransformer("all-MiniLM-L6-v2").encode), called back per batch.
    parts: the parts to compute (default all four); without explain and correction no embedder is needed and a
      target needs only relevant, span and duration.
    on_error: "raise" (default: TargetError naming the row and field) or "none" (that row is None).
    step: the trainer's step, for the engine's online audit (its detectors warn through the "ra_rft_rewards"
      logger when one begins to fire; RA_RFT_AUDIT=0 turns it off).
    """
    completions = _listed(completions, "completions")
    if isinstance(targets, (Mapping, str)):
        target_list: List[Any] = [targets] * len(completions)
    else:
        target_list = _listed(targets, "targets")
    if len(target_list) != len(completions):
        raise OptionsError(f"score: {len(completions)} completions but {len(target_list)} targets (they must match one to one)", field="targets")
    for i, completion in enumerate(completions):
        if not isinstance(completion, str):
            raise OptionsError(f"score: completions[{i}] must be a string, got {type(completion).__name__}", field=f"completions[{i}]")
    if not completions:
        return Scores({"total": []}, [], None, [], 0)
    fields = score_options(profile=profile, weights=weights, embedder=embedder, parts=parts, think_prefilled=think_prefilled,
                           end_tokens=end_tokens, on_error=on_error, unit=unit, step=step)
    unique, index = distinct_targets(target_list)
    payload: Dict[str, Any] = {"op": "score", "completions": completions, "targets": unique, **fields}
    if index is not None:
        payload["targetIndex"] = index
    result = request(payload)
    report_audit(result)
    return Scores(result["columns"], result.get("unit"), result.get("embedder"), result.get("errors") or [], len(completions))


def call(fn: str, items: List[List[Any]], options: Optional[Mapping[str, Any]] = None, *, embedder: Optional[Embedder] = None,
         on_error: OnError = "raise") -> List[Any]:
    """Calls the library function `fn` (its TypeScript name) on each item, in one request."""
    payload: Dict[str, Any] = {"op": "call", "fn": fn, "items": items}
    if options:
        payload["options"] = {camel(key): value for key, value in options.items() if value is not None}
    if embedder is not None:
        payload["embedder"] = embedder_name(embedder)
    if on_error == "none":
        payload["onError"] = "null"
    return list(request(payload)["results"])


def completion_target(fn: str, completion: Union[str, Sequence[str]], target: Union[Target, Sequence[Target]],
                      options: Mapping[str, Any], embedder: Optional[Embedder] = None) -> Any:
    """A (completion, target) function on one completion (→ one value) or a batch (→ a list, one request)."""
    if isinstance(completion, str):
        return call(fn, [[completion, target]], options, embedder=embedder)[0]
    completions = _listed(completion, "completions")
    targets = [target] * len(completions) if isinstance(target, (Mapping, str)) else _listed(target, "targets")
    if len(targets) != len(completions):
        raise OptionsError(f"{fn}: {len(completions)} completions but {len(targets)} targets", field="targets")
    return call(fn, [[c, t] for c, t in zip(completions, targets)], options, embedder=embedder)


def completion_only(fn: str, completion: Union[str, Sequence[str]], options: Mapping[str, Any]) -> Any:
    if isinstance(completion, str):
        return call(fn, [[completion]], options)[0]
    return call(fn, [[c] for c in _listed(completion, "completions")], options)


def as_target_dict(target: Target) -> Dict[str, Any]:
    """A target as a dict: JSON text parsed."""
    if isinstance(target, str):
        return dict(json.loads(target))
    return dict(target)
