"""`ra_rft_rewards.audit`: the engine's `audit` command over a trainer's rollout dumps, from Python."""
from __future__ import annotations

import json
import logging
import subprocess
from collections import deque
from pathlib import Path
from typing import Any, Deque, Dict, List, NamedTuple, Optional, Sequence, Union

from ._errors import EngineError
from ._node import find_node
from ._transport import ENGINE_SCRIPT

logger = logging.getLogger("ra_rft_rewards")

#: The exit code of `audit` when a finding at or above --fail-on fired.
FINDINGS_EXIT = 4


class AuditResult(NamedTuple):
    """What `audit` found: `findings` (findings.json, one dict per finding with detector, step, severity and
    evidence), the folder with report.html and summary.md, and whether anything fired at or above `fail_on`."""

    findings: List[Dict[str, Any]]
    out: Path
    failed: bool


def audit(path: Union[str, Path], out: Union[str, Path], *, args: Sequence[str] = (), fail_on: Optional[str] = None,
          embedder: Optional[str] = None) -> AuditResult:
    """Audits a rollout dump (a verl rollout_data_dir, TRL's logged completions, this project's score output…) with
    `ra-rft-rewards audit PATH --out OUT [args]`; raises EngineError when the audit itself fails (bad input, unreadable
    files, a failing embedder), never for findings: those are in the result.

    `embedder` (opt-in, e.g. "use-lite", "minilm", "openai:http://host:8080/v1#model") re-computes explain and
    correction for every rollout; the time it will take is estimated and logged before it starts. Progress and that
    estimate go to the "ra_rft_rewards" logger at INFO, a line at a time, as the command prints them."""
    command = [find_node(), str(ENGINE_SCRIPT), "audit", str(path), "--out", str(out), *args]
    if fail_on is not None:
        command += ["--fail-on", fail_on]
    if embedder is not None:
        command += ["--embedder", embedder]
    tail: Deque[str] = deque(maxlen=40)
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as child:
        assert child.stderr is not None
        for line in child.stderr:
            line = line.rstrip("\n")
            tail.append(line)
            logger.info("%s", line)
        code = child.wait()
    if code not in (0, FINDINGS_EXIT):
        raise EngineError(f"ra-rft-rewards audit exited {code}: {chr(10).join(tail)[-2000:]}")
    findings_file = Path(out) / "findings.json"
    findings: List[Dict[str, Any]] = json.loads(findings_file.read_text(encoding="utf-8")) if findings_file.is_file() else []
    return AuditResult(findings, Path(out), code == FINDINGS_EXIT)
