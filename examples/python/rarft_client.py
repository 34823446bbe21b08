"""Kept for configs that import it: a thin layer over the pip package (`pip install ra-rft-rewards`, see
docs/integration.md). New code: `from ra_rft_rewards import score`.

score() returns one dict per completion with the TypeScript names {"total", "format", "refuseIoU", "explain",
"correction", "explainAndCorrection", "unit"}. The engine runs as a child process; with RA_RFT_REWARD_URL set,
requests go to that server instead. RA_RFT_KEEP_END_TOKENS=1 scores completions exactly as sent.
"""
import asyncio
import os

import ra_rft_rewards
from ra_rft_rewards import RaRftError
from ra_rft_rewards._api import as_target_dict
from ra_rft_rewards._openrlhf import get_reward as _get_reward

PARTS = ("total", "format", "refuseIoU", "explain", "correction", "explainAndCorrection")
#: The error every failure raises (a ValueError for bad targets and options).
RewardServerError = RaRftError


def as_target(target, index=None):
    """A target as a dict: a dict as it is, JSON text parsed."""
    return as_target_dict(target)


def _end_tokens():
    return False if os.environ.get("RA_RFT_KEEP_END_TOKENS", "").lower() in ("1", "true", "yes") else None


def score(completions, targets, **options):
    """Scores completions against targets (dicts or JSON text); one dict of rewards each."""
    return ra_rft_rewards.score(list(completions), list(targets), end_tokens=_end_tokens(), **options).as_dicts()


def score_or_none(completions, targets, **options):
    """Like score, but a sample whose target is bad gets None instead of failing the batch."""
    return ra_rft_rewards.score(list(completions), list(targets), end_tokens=_end_tokens(), on_error="none", **options).as_dicts()


async def ascore(completions, targets, **options):
    """score for asyncio code: the engine call runs in a thread."""
    return await asyncio.to_thread(score, completions, targets, **options)


def get_reward(queries, prompts, labels, **options):
    """OpenRLHF's remote reward protocol: {"rewards", "scores", "extra_logs"} as lists."""
    return _get_reward(queries, prompts, labels, end_tokens=_end_tokens(), **options)
