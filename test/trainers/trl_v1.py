"""Re-enacts how TRL calls reward functions, written from reading trl/trainer/grpo_trainer.py
(GRPOTrainer._calculate_rewards, _log_completion_extra, _log_metric, trl/trainer/utils.py get_callable_name) and
trl/experimental/async_grpo/async_rollout_worker.py (AsyncRolloutWorker) on TRL main (1.10 dev):
- GRPOTrainer calls every reward function with keywords prompts=, completions=, completion_ids=, every dataset
  column but prompt/completion/completion_ids (one entry per generation), trainer_state=, log_extra=,
  log_metric=; a None reward becomes NaN; async functions (inspect.iscoroutinefunction) are gathered on a loop in a
  daemon thread via run_coroutine_threadsafe; the metric name is get_callable_name(func) (partials unwrapped, else
  __name__, else the class name); log_extra(column, values) extends a completions-table column, log_metric(name,
  value) appends a value averaged per step;
- AsyncGRPOTrainer pickles its loop kwargs (reward_funcs among them) with plain pickle, refusing the run if that
  fails, and scores in a process started with the "spawn" method: per group, an async function is awaited, a sync
  one runs through asyncio.to_thread, all gathered; it passes the dataset columns only (no log hooks).
Completions are decoded with skip_special_tokens=True; conversational ones are [{"role": "assistant", "content": …}],
and with a response schema the reasoning moves to "reasoning_content" and content is what follows </think>.
"""
import asyncio
import functools
import inspect
import math
import multiprocessing as mp
import os
import pickle
import sys
import threading

from common import emit, read_cases


class TrainerState:
    global_step = 3


def get_callable_name(func):
    while isinstance(func, functools.partial):
        func = func.func
    return getattr(func, "__name__", type(func).__name__)


def parsed(text):
    # What parse_response gives for a Qwen3-style schema: reasoning apart, content after </think>.
    if text.startswith("<think>") and "</think>" in text:
        reasoning, content = text[len("<think>"):].split("</think>", 1)
        return {"role": "assistant", "content": content.strip(), "reasoning_content": reasoning.strip()}
    return {"role": "assistant", "content": text}


def calculate_rewards(funcs, prompts, completions, columns, logs=None):
    extra, metrics = {}, {}
    reward_kwargs = {**columns, "trainer_state": TrainerState(),
                     "log_extra": lambda column, values: extra.setdefault(column, []).extend(values),
                     "log_metric": lambda name, value: metrics.setdefault(name, []).append(value)}
    ids = [[1, 2, 3] for _ in completions]
    out = []
    for func in [f for f in funcs if not inspect.iscoroutinefunction(f)]:
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
    if logs is not None:
        logs["extra"], logs["metrics"] = extra, metrics
    return [[math.nan if r is None else float(r) for r in rewards] for rewards in out]


def _child_main(loop_kwargs, queue):
    """AsyncRolloutWorker's spawned child: unpickled reward functions, scored per group as _score_group does."""
    async def score_group():
        kwargs = dict(completions=loop_kwargs["completions"], prompts=loop_kwargs["prompts"], completion_ids=None, **loop_kwargs["reward_kwargs"])
        return await asyncio.gather(*[
            f(**kwargs) if inspect.iscoroutinefunction(f) else asyncio.to_thread(f, **kwargs) for f in loop_kwargs["reward_funcs"]])
    try:
        queue.put({"rewards": asyncio.run(score_group()), "names": [get_callable_name(f) for f in loop_kwargs["reward_funcs"]],
                   "async": [inspect.iscoroutinefunction(f) for f in loop_kwargs["reward_funcs"]]})
    except Exception as error:  # noqa: BLE001 — reported to the parent
        queue.put({"error": f"{type(error).__name__}: {error}"})


def async_grpo(funcs, prompts, completions, columns):
    loop_kwargs = {"reward_funcs": funcs, "prompts": prompts, "completions": completions, "reward_kwargs": columns}
    pickle.dumps(loop_kwargs)  # AsyncRolloutWorker.start refuses the run when this fails
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child_main, args=(loop_kwargs, queue), daemon=True)
    process.start()
    result = queue.get(timeout=300)
    process.join(timeout=60)
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def main():
    data = read_cases()
    from ra_rft_rewards.trl import AsyncRaRftReward, RaRftReward, rarft_reward, rarft_reward_async

    cases = data["cases"]
    prompts = [[{"role": "user", "content": [{"type": "video"}, {"type": "text", "text": "when?"}]}] for _ in cases]
    columns = {"target": [c["struct"] for c in cases], "video": ["v.mp4" for _ in cases]}
    plain = [c["clean"] for c in cases]
    chat = [[{"role": "assistant", "content": c["clean"]}] for c in cases]
    schema = [[parsed(c["clean"])] for c in cases]
    refuse = RaRftReward("refuse_iou")
    logs = {}
    out = {
        "plain": calculate_rewards([rarft_reward, refuse], ["p"] * len(cases), plain, columns, logs),
        "chat": calculate_rewards([rarft_reward], prompts, chat, columns),
        "schema": calculate_rewards([rarft_reward, rarft_reward_async], prompts, schema, columns),
        "names": [get_callable_name(f) for f in (rarft_reward, refuse, rarft_reward_async)],
        "async": [inspect.iscoroutinefunction(f) for f in (rarft_reward, refuse, rarft_reward_async)],
        "logs": logs,
    }
    # One bad target (relevant without span): on_error="none" gives None (NaN) there and scores the rest.
    broken = dict(columns, target=[dict(columns["target"][0], relevant=True, span=None)] + columns["target"][1:])
    lenient = [RaRftReward(on_error="none"), AsyncRaRftReward(on_error="none")]
    out["lenient"] = [[None if math.isnan(x) else x for x in r] for r in calculate_rewards(lenient, prompts, chat, broken)]
    try:
        rarft_reward(prompts=prompts, completions=chat, completion_ids=None, **broken)
        out["strict_error"] = None
    except ValueError as error:
        out["strict_error"] = f"{type(error).__name__}: {error}"
    # AsyncGRPOTrainer: pickled into a spawned process, sync and async, instances made by the user.
    out["async_grpo"] = async_grpo([rarft_reward, AsyncRaRftReward("format", name="rarft_format_async"), refuse], prompts, chat, columns)
    # The stable names in examples/python (users import the file as a module).
    sys.path.insert(0, data["shims"])
    from trl_reward import make_rarft_reward
    legacy = [make_rarft_reward(), make_rarft_reward(part="refuseIoU"), make_rarft_reward(use_async=True)]
    out["legacy"] = calculate_rewards(legacy, prompts, chat, columns)
    out["legacy_names"] = [get_callable_name(f) for f in legacy]
    emit(out)


if __name__ == "__main__":
    main()
