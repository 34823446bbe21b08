"""TRL GRPOTrainer reward functions (tested against TRL 1.9's GRPOTrainer._calculate_rewards calling convention):

    from trl_reward import rarft_reward            # the RA-RFT total; raises on a bad target
    GRPOTrainer(..., reward_funcs=[rarft_reward])

    from trl_reward import make_rarft_reward       # choose the part, the target column, None on failure, async
    GRPOTrainer(..., reward_funcs=[make_rarft_reward(part="refuseIoU", on_error="none")])

The dataset needs a `target` column (a RaRftTarget dict or its JSON text; None-filled struct keys are fine).
TRL passes every dataset column, plus trainer_state / log_extra / log_metric, as keyword arguments.
Conversational completions are lists of messages; the last assistant message is scored. When TRL parses the
response (a response schema, set up when tools are used), the reasoning sits in `reasoning_content` (or
`thinking`): it is put back as `<think>…</think>` before the content, as the model wrote it.
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rarft_client import PARTS, score, score_or_none  # noqa: E402

_REASONING_KEYS = ("reasoning_content", "thinking")


def completion_text(completion):
    """The text to score: a plain completion as it is; for a conversation, the last assistant message with its
    parsed-out reasoning restored as `<think>…</think>` (unless the content already opens with <think>)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        completion = [completion]
    messages = [m for m in completion if isinstance(m, dict) and m.get("role", "assistant") == "assistant"]
    if not messages:
        return ""
    message = messages[-1]
    content = message.get("content") or ""
    if isinstance(content, list):  # multimodal content parts: [{"type": "text", "text": …}]
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    reasoning = next((message[key] for key in _REASONING_KEYS if message.get(key)), None)
    if reasoning and not content.lstrip().startswith("<think>"):
        content = f"<think>{reasoning}</think>{content}"
    return content


def _pick(results, part):
    return [None if r is None else r[part] for r in results]


def make_rarft_reward(part="total", target_key="target", on_error="raise", use_async=False, name=None):
    """A TRL reward function returning one RA-RFT part per completion.

    part: "total" (default), "format", "refuseIoU", "explain", "correction", "explainAndCorrection" or "unit".
    target_key: the dataset column holding the target.
    on_error: "raise" (default; the step stops with the server's message) or "none" (a sample whose target is
      bad gets None, which TRL ignores in the group statistics).
    use_async: return an `async def` function (TRL >= 0.27 gathers async reward functions on its own loop).
    """
    if part not in PARTS and part != "unit":
        raise ValueError(f"make_rarft_reward: part must be one of {PARTS + ('unit',)}, got {part!r}")
    if on_error not in ("raise", "none"):
        raise ValueError(f"make_rarft_reward: on_error must be 'raise' or 'none', got {on_error!r}")

    def inputs(completions, positional, kwargs):
        if positional:  # the 0.x form rarft_reward(prompts, completions, target)
            kwargs.setdefault(target_key, positional[0])
        if target_key not in kwargs:
            raise KeyError(f"rarft reward: the dataset has no {target_key!r} column (columns passed: {sorted(kwargs)})")
        return [completion_text(c) for c in completions], list(kwargs[target_key])

    scorer = score_or_none if on_error == "none" else score

    if use_async:
        async def reward(prompts, completions, *positional, **kwargs):
            texts, targets = inputs(completions, positional, kwargs)
            return _pick(await asyncio.to_thread(scorer, texts, targets), part)
    else:
        def reward(prompts, completions, *positional, **kwargs):
            texts, targets = inputs(completions, positional, kwargs)
            return _pick(scorer(texts, targets), part)

    # TRL logs each reward function under its __name__ (rewards/<name>/mean).
    reward.__name__ = reward.__qualname__ = name or ("rarft_reward" if part == "total" else f"rarft_{part}")
    return reward


rarft_reward = make_rarft_reward()
rarft_reward.__doc__ = "The RA-RFT total (format + refuseIoU + explain + correction) of each completion."
rarft_reward_async = make_rarft_reward(use_async=True, name="rarft_reward_async")
