"""python -m ra_rft_rewards: the Node CLI's commands (score, evaluate, serve, bench-variants, …) run by the
bundled engine, plus `path NAME` (the files trainers load by path) and `info`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

HERE = Path(__file__).parent
#: What `path NAME` prints: the files the trainers load by path.
PATHS = {
    "verl": HERE / "verl.py",
    "easyr1": HERE / "easyr1.py",
    "easyr1-sequential": HERE / "easyr1_sequential.py",
    "openrlhf": HERE / "openrlhf.py",
    "easyr1-prompt": HERE / "prompts" / "ra_rft.jinja",
    "engine": HERE / "_engine" / "engine.mjs",
}

USAGE = f"""usage: python -m ra_rft_rewards <command> [options]

  path NAME      print the file a trainer loads by path: {", ".join(PATHS)}
  info           the engine, the Node.js that runs it, and the transport in use
  score IN.jsonl, evaluate IN --out DIR, serve, bench-variants, engine, …
                 the ra-rft-rewards CLI, run by the bundled engine (`python -m ra_rft_rewards score --help`)
"""


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0 if args else 2
    command = args[0]
    if command == "path":
        if len(args) != 2 or args[1] not in PATHS:
            sys.stderr.write(f"python -m ra_rft_rewards path: name one of {', '.join(PATHS)}\n")
            return 2
        print(PATHS[args[1]])
        return 0
    if command == "info":
        from . import __version__
        from ._node import find_node
        from ._transport import ENGINE_DIR

        engine = json.loads((ENGINE_DIR / "ENGINE.json").read_text()) if (ENGINE_DIR / "ENGINE.json").is_file() else None
        info = {"version": __version__, "engine": engine, "node": find_node(), "transport": os.environ.get("RA_RFT_REWARD_URL") or "stdio"}
        print(json.dumps(info, indent=2))
        return 0
    from ._node import find_node

    node = find_node()
    script = str(PATHS["engine"])
    if hasattr(os, "execv") and os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(node, [node, script, *args])
    return subprocess.call([node, script, *args])


if __name__ == "__main__":
    sys.exit(main())
