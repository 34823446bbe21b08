"""Re-enacts how verl 0.7 calls a custom reward function, written from reading verl/trainer/main_ppo.py,
verl/trainer/ppo/reward.py (load_reward_manager, get_custom_reward_fn), verl/utils/import_utils.py
(load_extern_object), the reward loop's naive manager and the legacy batch and prime managers
(verl/workers/reward_manager/{batch,prime}.py):
- main_ppo calls load_reward_manager twice (training, then validation): the file is executed twice, each time as
  "custom_module_<hash of its path>", never put in sys.modules, its folder not on sys.path;
- the function is wrapped in functools.partial with reward_kwargs (custom_reward_function.reward_kwargs);
- reward loop: per sample, keywords data_source / solution_str / ground_truth / extra_info, an async function
  awaited, a sync one run in the default thread pool, samples gathered concurrently; every key of the result
  but "score" goes to reward_extra_info, stacked per key;
- batch: one call with data_sources / solution_strs / ground_truths / extra_infos (numpy object arrays);
- prime: positional (data_source, solution_str, ground_truth, extra_info) in a ProcessPoolExecutor (the training
  manager's function, pickled by reference); a failed sample would silently become 0.0, so here it raises;
- responses are decoded with skip_special_tokens=True; ground_truth comes from a parquet struct: every key present,
  None where the row had none, lists as numpy arrays.
"""
import asyncio
import functools
import inspect
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from common import emit, load_by_path, package_path, read_cases


def call(fn, reward_kwargs, *args, **kwargs):
    return fn(*args, **{**kwargs, **reward_kwargs})


async def call_async(fn, reward_kwargs, *args, **kwargs):
    return await fn(*args, **{**kwargs, **reward_kwargs})


def load(path, name, reward_kwargs):
    module = load_by_path(f"custom_module_{hash(os.path.abspath(path))}", path)
    raw = getattr(module, name)
    wrapper = call_async if inspect.iscoroutinefunction(raw) else call
    return functools.partial(wrapper, raw, reward_kwargs), inspect.iscoroutinefunction(raw)


def struct(target):
    value = dict(target)
    if value.get("span") is not None:
        value["span"] = np.array(value["span"], dtype=np.float64)
    return value


async def reward_loop(fn, is_async, cases):
    loop = asyncio.get_running_loop()

    async def one(i, case):
        kwargs = dict(data_source="hi_vtg", solution_str=case["clean"], ground_truth=struct(case["struct"]),
                      extra_info={"index": i, "num_turns": 2, "rollout_reward_scores": {}})
        if is_async:
            return await fn(**kwargs)
        return await loop.run_in_executor(None, lambda: fn(**kwargs))
    results = await asyncio.gather(*(one(i, case) for i, case in enumerate(cases)))
    extra = {}
    for result in results:
        for key, value in result.items():
            if key != "score":
                extra.setdefault(key, []).append(value)
    assert all(len(values) == len(results) for values in extra.values()), "every sample must return the same keys"
    return {"scores": [r["score"] for r in results], "extra": extra}


def prime(fn, cases):
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(fn, "hi_vtg", c["clean"], struct(c["struct"]), {"index": i}) for i, c in enumerate(cases)]
        return [float(f.result(timeout=300)) for f in futures]


def manager_pair(path, name, reward_kwargs):
    """load_reward_manager for training, then again for validation: the training function is the first load's."""
    train, is_async = load(path, name, reward_kwargs)
    load(path, name, reward_kwargs)
    return train, is_async


def main():
    data = read_cases()
    cases = data["cases"]
    path = package_path("verl")
    kwargs = data.get("reward_kwargs", {})
    out = {}
    out["naive"] = asyncio.run(reward_loop(*manager_pair(path, "compute_score", kwargs), cases))
    out["async"] = asyncio.run(reward_loop(*manager_pair(path, "compute_score_async", kwargs), cases))
    batch, _ = manager_pair(path, "compute_score", kwargs)
    out["batch"] = batch(
        data_sources=np.array(["hi_vtg"] * len(cases), dtype=object),
        solution_strs=[c["clean"] for c in cases],
        ground_truths=[struct(c["struct"]) for c in cases],
        extra_infos=np.array([{"index": i, "rollout_reward_scores": {}} for i in range(len(cases))], dtype=object),
    )
    out["prime"] = prime(manager_pair(path, "compute_score_prime", kwargs)[0], cases)
    # The stable name in examples/python, which users' configs point at: loaded twice, then prime.
    legacy = os.path.join(data["shims"], "verl_reward.py")
    out["legacy_prime"] = prime(manager_pair(legacy, "compute_score_float", kwargs)[0], cases)
    emit(out)


if __name__ == "__main__":
    main()
