"""Re-enacts how TRL 1.9 (trl/trainer/grpo_trainer.py, GRPOTrainer._calculate_rewards) calls reward functions,
written from reading that file: every reward function is called with keywords prompts=, completions=,
completion_ids=, every dataset column but prompt/completion/completion_ids (one entry per generation),
trainer_state=, log_extra=, log_metric=; a None reward becomes NaN; async reward functions
(inspect.iscoroutinefunction) are gathered on a loop in a daemon thread via run_coroutine_threadsafe.
Completions are decoded with skip_special_tokens=True; conversational ones are [{"role": "assistant",
"content": …}], and with a response schema (parse_response, set up when tools are used) the reasoning moves to
"reasoning_content" and content is what follows </think>.
"""
import asyncio
import inspect
import math
import os
import sys
import threading

from common import emit, read_cases


class TrainerState:
    global_step = 3


def parsed(text):
    # What parse_response gives for a Qwen3-style schema: reasoning apart, content after </think>.
    if text.startswith("<think>") and "</think>" in text:
        reasoning, content = text[len("<think>"):].split("</think>", 1)
        return {"role": "assistant", "content": content.strip(), "reasoning_content": reasoning.strip()}
    return {"role": "assistant", "content": text}


def calculate_rewards(funcs, prompts, completions, columns):
    logged = {}
    reward_kwargs = {**columns, "trainer_state": TrainerState(), "log_extra": lambda column, values: logged.setdefault(column, values),
                     "log_metric": lambda name, value: logged.setdefault(name, value)}
    ids = [[1, 2, 3] for _ in completions]
    out = []
    sync = [f for f in funcs if not inspect.iscoroutinefunction(f)]
    for func in sync:
        out.append(func(prompts=prompts, completions=completions, completion_ids=ids, **reward_kwargs))
    coroutines = [f for f in funcs if inspect.iscoroutinefunction(f)]
    if coroutines:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True, name="GRPOTrainer-AsyncLoop")
        thread.start()

        async def run_all():
            return await asyncio.gather(*(f(prompts=prompts, completions=completions, completion_ids=ids, **reward_kwargs) for f in coroutines))
        out.extend(asyncio.run_coroutine_threadsafe(run_all(), loop).result())
        loop.call_soon_threadsafe(loop.stop)
    return [[math.nan if r is None else float(r) for r in rewards] for rewards in out]


def main():
    data = read_cases()
    sys.path.insert(0, data["shims"])  # TRL users import the shim as a module
    from trl_reward import make_rarft_reward, rarft_reward, rarft_reward_async

    cases = data["cases"]
    prompts = [[{"role": "user", "content": [{"type": "video"}, {"type": "text", "text": "when?"}]}] for _ in cases]
    columns = {"target": [c["struct"] for c in cases], "video": ["v.mp4" for _ in cases]}
    plain = [c["clean"] for c in cases]
    chat = [[{"role": "assistant", "content": c["clean"]}] for c in cases]
    schema = [[parsed(c["clean"])] for c in cases]
    refuse = make_rarft_reward(part="refuseIoU")
    out = {
        "plain": calculate_rewards([rarft_reward, refuse], ["p"] * len(cases), plain, columns),
        "chat": calculate_rewards([rarft_reward], prompts, chat, columns),
        "schema": calculate_rewards([rarft_reward, rarft_reward_async], prompts, schema, columns),
        "names": [rarft_reward.__name__, refuse.__name__, rarft_reward_async.__name__],
    }
    # One bad target (relevant without span): on_error="none" gives None (NaN) there and scores the rest.
    broken = dict(columns, target=[dict(columns["target"][0], relevant=True, span=None)] + columns["target"][1:])
    lenient = make_rarft_reward(on_error="none")
    lenient_async = make_rarft_reward(on_error="none", use_async=True)
    out["lenient"] = [[None if math.isnan(x) else x for x in r] for r in calculate_rewards([lenient, lenient_async], prompts, chat, broken)]
    try:
        rarft_reward(prompts=prompts, completions=chat, completion_ids=None, **broken)
        out["strict_error"] = None
    except ValueError as error:
        out["strict_error"] = str(error)
    emit(out)


main()
