"""Re-enacts how verl 0.7 calls a custom reward function, written from reading verl/trainer/ppo/reward.py
(get_custom_reward_fn), verl/utils/import_utils.py (load_extern_object), the reward loop's naive manager
(verl/experimental/reward_loop/reward_manager/naive.py) and the legacy batch and prime managers
(verl/workers/reward_manager/{batch,prime}.py):
- the file is loaded by path as "custom_module_<hash>", not put in sys.modules, its folder not on sys.path;
- the function is wrapped in functools.partial with reward_kwargs;
- reward loop: per sample, keywords data_source / solution_str / ground_truth / extra_info, an async function
  awaited, a sync one run in the default thread pool, samples gathered concurrently;
- batch: one call with data_sources / solution_strs / ground_truths / extra_infos (numpy object arrays);
- prime: positional (data_source, solution_str, ground_truth, extra_info) in a process pool, a number back;
- responses are decoded with skip_special_tokens=True, so no end token; ground_truth comes from a parquet struct:
  every key of the file present, None where the row had none, lists as numpy arrays.
"""
import asyncio
import functools
import inspect
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from common import emit, load_by_path, read_cases


def call(fn, reward_kwargs, *args, **kwargs):
    return fn(*args, **{**kwargs, **reward_kwargs})


async def call_async(fn, reward_kwargs, *args, **kwargs):
    return await fn(*args, **{**kwargs, **reward_kwargs})


def load(path, name):
    module = load_by_path(f"custom_module_{hash(os.path.abspath(path))}", path)
    raw = getattr(module, name)
    wrapper = call_async if inspect.iscoroutinefunction(raw) else call
    return functools.partial(wrapper, raw, {})


def struct(target):
    value = dict(target)
    if value.get("span") is not None:
        value["span"] = np.array(value["span"], dtype=np.float64)
    return value


async def reward_loop(fn, cases):
    loop = asyncio.get_running_loop()

    async def one(i, case):
        kwargs = dict(data_source="hi_vtg", solution_str=case["clean"], ground_truth=struct(case["struct"]),
                      extra_info={"index": i, "num_turns": 2, "rollout_reward_scores": {}})
        if inspect.iscoroutinefunction(fn):
            return await fn(**kwargs)
        return await loop.run_in_executor(None, lambda: fn(**kwargs))
    return await asyncio.gather(*(one(i, case) for i, case in enumerate(cases)))


def same_keys(results):
    keys = [sorted(r) for r in results]
    assert all(k == keys[0] for k in keys), "every sample must return the same keys"
    return results


def main():
    data = read_cases()
    cases = data["cases"]
    path = os.path.join(data["shims"], "verl_reward.py")
    out = {}
    out["naive"] = same_keys(asyncio.run(reward_loop(load(path, "compute_score"), cases)))
    out["async"] = same_keys(asyncio.run(reward_loop(load(path, "compute_score_async"), cases)))
    batch = load(path, "compute_score")
    out["batch"] = same_keys(batch(
        data_sources=np.array(["hi_vtg"] * len(cases), dtype=object),
        solution_strs=[c["clean"] for c in cases],
        ground_truths=[struct(c["struct"]) for c in cases],
        extra_infos=np.array([{"index": i, "rollout_reward_scores": {}} for i in range(len(cases))], dtype=object),
    ))
    prime = load(path, "compute_score_float")
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(prime, "hi_vtg", c["clean"], struct(c["struct"]), {"index": i}) for i, c in enumerate(cases)]
        out["prime"] = [float(f.result(timeout=300)) for f in futures]
    emit(out)


main()
