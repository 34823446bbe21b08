"""TRL GRPOTrainer reward function: GRPOTrainer(..., reward_funcs=[rarft_reward]).
The dataset needs a `target` column (a RaRftTarget dict or its JSON text)."""
from rarft_client import score


def rarft_reward(prompts, completions, target, **kwargs) -> list[float]:
    # Conversational completions are lists of messages; plain ones are strings.
    texts = [c[-1]["content"] if isinstance(c, list) else c for c in completions]
    return [r["total"] for r in score(texts, target)]
