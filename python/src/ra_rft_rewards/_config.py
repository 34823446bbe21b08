"""Options of the trainer entries: keyword arguments (verl's reward_kwargs, EasyR1's reward_function_kwargs,
TRL constructor arguments), else the environment, else the library's defaults.

  RA_RFT_PROFILE    ra-rft (default) | strict
  RA_RFT_EMBEDDER   auto (default) | use-lite | minilm | trigram   (read by the engine itself)
  RA_RFT_WEIGHTS    e.g. format=1,refuse_iou=1,explain=0.5,correction=1
"""
from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional

from ._errors import OptionsError

_KEYS = ("profile", "weights", "embedder", "parts", "think_prefilled", "end_tokens", "unit")


def parse_weights(text: str) -> Dict[str, float]:
    weights: Dict[str, float] = {}
    for item in filter(None, (piece.strip() for piece in text.split(","))):
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            weights[name.strip()] = float(value)
        except ValueError:
            raise OptionsError(f"RA_RFT_WEIGHTS: {item!r} is not part=number (e.g. format=1,explain=0.5)", field="RA_RFT_WEIGHTS") from None
    return weights


def entry_options(kwargs: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The score options a trainer entry uses: from `kwargs` first, then RA_RFT_PROFILE / RA_RFT_WEIGHTS."""
    kwargs = kwargs or {}
    options = {key: kwargs[key] for key in _KEYS if kwargs.get(key) is not None}
    if "profile" not in options and os.environ.get("RA_RFT_PROFILE"):
        options["profile"] = os.environ["RA_RFT_PROFILE"]
    if "weights" not in options and os.environ.get("RA_RFT_WEIGHTS"):
        options["weights"] = parse_weights(os.environ["RA_RFT_WEIGHTS"])
    return options
