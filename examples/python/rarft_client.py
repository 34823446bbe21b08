"""A client for the ra-rft-rewards HTTP server (`npx ra-rft-rewards serve`). Standard library only.

The server URL comes from RA_RFT_REWARD_URL (default http://127.0.0.1:8000). The trainer shims beside this file
(trl_reward.py, verl_reward.py, easyr1_reward.py, openrlhf_reward.py) all score through `score`.

Environment:
  RA_RFT_REWARD_URL        server URL (default http://127.0.0.1:8000)
  RA_RFT_TIMEOUT           seconds per request (default 120)
  RA_RFT_RETRIES           extra tries after a 503 or a lost connection (default 2, with back-off)
  RA_RFT_KEEP_END_TOKENS   1: score completions exactly as sent (default: the server strips <|im_end|> and kin)
"""
import asyncio
import http.client
import json
import os
import re
import time
import urllib.parse

PARTS = ("total", "format", "refuseIoU", "explain", "correction", "explainAndCorrection")
_ITEM_PATH = re.compile(r"^items\[(\d+)\]")


class RewardServerError(ValueError):
    """The server answered with an error status (400 names every bad field), or could not be reached.
    `status` is the HTTP status (None when no answer came), `issues` the server's list of problems."""

    def __init__(self, message, status=None, issues=None):
        super().__init__(message)
        self.status = status
        self.issues = issues or []


def _json_default(value):
    # numpy arrays and scalars (parquet rows read through pandas / datasets): duck-typed, no numpy import.
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def as_target(target, index=None):
    """A target as a dict: a dict as it is, JSON text parsed, anything else a ValueError naming its index."""
    where = "" if index is None else f"targets[{index}]: "
    if isinstance(target, (str, bytes)):
        try:
            target = json.loads(target)
        except ValueError as error:
            raise ValueError(f"{where}not a JSON target ({error})") from None
    if not isinstance(target, dict):
        raise ValueError(f"{where}expected a target dict or its JSON text, got {type(target).__name__}")
    return target


def _post(url, path, payload, timeout):
    """POSTs JSON; returns (status, headers, body text). Reads the server's answer even when it closed the
    connection before taking the whole body (a 413 for an over-limit body then arrives as a broken pipe)."""
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    body = json.dumps(payload, default=_json_default).encode()
    headers = {"content-type": "application/json"}
    token = os.environ.get("RA_RFT_TOKEN")
    if token:
        headers["authorization"] = f"Bearer {token}"
    try:
        try:
            connection.request("POST", parts.path.rstrip("/") + path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: its answer (413, 400…) may be waiting, read it below
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def request(path, payload, url=None, timeout=None, retries=None):
    """POSTs `payload` to the server and returns the decoded JSON answer. Retries a 503 (honouring Retry-After)
    and a lost connection with back-off; raises RewardServerError with the server's status and message."""
    url = url or os.environ.get("RA_RFT_REWARD_URL", "http://127.0.0.1:8000")
    timeout = float(timeout if timeout is not None else os.environ.get("RA_RFT_TIMEOUT", 120))
    retries = int(retries if retries is not None else os.environ.get("RA_RFT_RETRIES", 2))
    for attempt in range(retries + 1):
        delay = min(8.0, 0.5 * 2**attempt)
        try:
            status, headers, text = _post(url, path, payload, timeout)
        except OSError as error:  # refused, reset before any answer, timed out
            if attempt < retries:
                time.sleep(delay)
                continue
            raise RewardServerError(
                f"ra-rft-rewards server at {url} did not answer ({type(error).__name__}: {error}); "
                "is `npx ra-rft-rewards serve` running, and RA_RFT_REWARD_URL set?"
            ) from None
        if status == 503 and attempt < retries:
            retry_after = headers.get("retry-after")
            time.sleep(float(retry_after) if retry_after and retry_after.replace(".", "", 1).isdigit() else delay)
            continue
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {"error": text[:500]}
        if status != 200:
            issues = answer.get("issues", []) if isinstance(answer, dict) else []
            detail = "; ".join(f"{i.get('path')}: {i.get('message')}" for i in issues) or answer.get("error", text[:500])
            raise RewardServerError(f"ra-rft-rewards server: HTTP {status}: {detail}", status, issues)
        return answer
    raise AssertionError("unreachable")


def _paired(completions, targets):
    completions, targets = list(completions), list(targets)
    if len(completions) != len(targets):
        raise ValueError(f"score: {len(completions)} completions but {len(targets)} targets (they must match one to one)")
    return completions, targets


def _keep_end_tokens():
    return os.environ.get("RA_RFT_KEEP_END_TOKENS", "").lower() in ("1", "true", "yes")


def score(completions, targets, timeout=None, url=None, retries=None):
    """Scores completions against targets (dicts or JSON text); returns one dict of rewards each:
    {"total", "format", "refuseIoU", "explain", "correction", "explainAndCorrection", "unit"}, where "unit" is
    the reward on [0, 1] that the server's --scores names (default: the total normalized), for group filters.
    The lengths must match. Trailing end tokens (<|im_end|>, <|eot_id|>, …) are stripped by the server unless
    RA_RFT_KEEP_END_TOKENS=1."""
    completions, targets = _paired(completions, targets)
    if not completions:
        return []
    items = []
    for index, (completion, target) in enumerate(zip(completions, targets)):
        if not isinstance(completion, str):
            raise ValueError(f"score: completions[{index}] must be a string, got {type(completion).__name__}")
        items.append({"completion": completion, "target": as_target(target, index)})
    payload = {"items": items}
    if _keep_end_tokens():
        payload["endTokens"] = False
    answer = request("/v1/score", payload, url=url, timeout=timeout, retries=retries)
    results = answer["results"]
    if len(results) != len(items):
        raise RewardServerError(f"ra-rft-rewards server: {len(results)} results for {len(items)} items")
    for result, unit in zip(results, answer.get("scores") or [None] * len(results)):
        if unit is not None:
            result["unit"] = unit
    return results


def score_or_none(completions, targets, **kwargs):
    """Like `score`, but a sample whose target the server rejects gets None instead of failing the batch
    (the rest are scored in one more request). A ValueError raised here names the sample."""
    completions, targets = _paired(completions, targets)
    results = [None] * len(completions)
    good = []
    for index, target in enumerate(targets):
        try:
            as_target(target, index)
            good.append(index)
        except ValueError:
            pass
    try:
        scored = score([completions[i] for i in good], [targets[i] for i in good], **kwargs)
    except RewardServerError as error:
        bad = {int(m.group(1)) for i in error.issues for m in [_ITEM_PATH.match(str(i.get("path", "")))] if m}
        if error.status != 400 or not bad:
            raise
        good = [index for k, index in enumerate(good) if k not in bad]
        scored = score([completions[i] for i in good], [targets[i] for i in good], **kwargs)
    for index, result in zip(good, scored):
        results[index] = result
    return results


async def ascore(completions, targets, **kwargs):
    """`score` for asyncio trainers: runs the request in a thread, so the event loop keeps going."""
    return await asyncio.to_thread(score, completions, targets, **kwargs)


def get_reward(queries, prompts, labels, url=None, timeout=None, retries=None):
    """OpenRLHF's remote reward protocol through the server's /get_reward (the response is found in each
    query after the prompt's assistant header): returns {"rewards", "scores", "extra_logs"} as lists."""
    queries, prompts, labels = list(queries), list(prompts) if prompts is not None else None, list(labels)
    if len(labels) != len(queries) or (prompts is not None and len(prompts) != len(queries)):
        raise ValueError(f"get_reward: {len(queries)} queries, {len(prompts or [])} prompts, {len(labels)} labels")
    payload = {"query": queries, "prompts": prompts, "labels": [as_target(label, i) for i, label in enumerate(labels)]}
    if _keep_end_tokens():
        payload["endTokens"] = False
    return request("/get_reward", payload, url=url, timeout=timeout, retries=retries)
