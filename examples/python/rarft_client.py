"""A tiny client for the ra-rft-rewards HTTP server (`npx ra-rft-rewards serve`). Standard library only.

The server URL comes from RA_RFT_REWARD_URL (default http://127.0.0.1:8000).
"""
import json
import os
import urllib.request

URL = os.environ.get("RA_RFT_REWARD_URL", "http://127.0.0.1:8000")


def score(completions, targets, timeout=60):
    """Scores completions against targets (dicts or JSON strings); returns one dict of rewards each:
    {"total", "format", "refuseIoU", "explain", "correction", "explainAndCorrection"}."""
    items = [{"completion": c, "target": json.loads(t) if isinstance(t, str) else t} for c, t in zip(completions, targets)]
    request = urllib.request.Request(
        URL + "/v1/score", data=json.dumps({"items": items}).encode(), headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)["results"]
    except urllib.error.HTTPError as error:  # 400 names the bad field: show it
        raise ValueError(f"ra-rft-rewards server: {error.code} {error.read().decode()}") from None
