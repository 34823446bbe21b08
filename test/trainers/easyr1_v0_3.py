"""Re-enacts how EasyR1 (main after v0.3.2, verl/workers/reward/function.py: AutoRewardManager) calls a reward
function, written from reading that file and verl/trainer/ray_trainer.py: worker.reward.reward_function=path:name
is loaded by path as module "custom_reward_fn" (registered in sys.modules, folder not on sys.path) and wrapped in
functools.partial(fn, **reward_function_kwargs); the module's REWARD_TYPE picks "batch" (one call with a list of
reward inputs) or "sequential" (one call per input); each input is {"response", "response_length",
"ground_truth"}, the response decoded with skip_special_tokens (default True; False keeps <|im_end|>); every key
of a result is appended to reward_metrics[key] and logged as reward/<key>; the online filter
(algorithm.online_filtering) groups by prompt and keeps a group iff filter_low < mean(filter_key) < filter_high,
defaults overall, 0.01, 0.99.
"""
import functools
import os

from common import emit, load_by_path, package_path, read_cases


def manager(path, kwargs):
    module = load_by_path("custom_reward_fn", path, register=True)
    return functools.partial(module.compute_score, **kwargs), getattr(module, "REWARD_TYPE", "batch")


def run(path, cases, skip_special_tokens, kwargs):
    fn, kind = manager(path, kwargs)
    inputs = [{"response": c["clean"] if skip_special_tokens else c["raw"], "response_length": len(c["raw"]),
               "ground_truth": c["struct"]} for c in cases]
    results = fn(inputs) if kind == "batch" else [fn(x) for x in inputs]
    assert all(isinstance(r["overall"], float) for r in results)
    reward_metrics = {}
    for result in results:
        for key, value in result.items():
            assert isinstance(value, float), (key, value)
            reward_metrics.setdefault(key, []).append(value)
    return kind, results, sorted(f"reward/{key}" for key in reward_metrics)


def kept(cases, results, key, low=0.01, high=0.99):
    groups = {}
    for case, result in zip(cases, results):
        groups.setdefault(case["group"], []).append(result[key])
    return sum(1 for values in groups.values() if low < sum(values) / len(values) < high)


def main():
    data = read_cases()
    cases = data["cases"]
    kwargs = data.get("reward_kwargs", {})
    batch_kind, batch, logged = run(package_path("easyr1"), cases, True, kwargs)
    raw_kind, raw, _ = run(package_path("easyr1"), cases, False, kwargs)
    seq_kind, seq, _ = run(package_path("easyr1-sequential"), cases, False, kwargs)
    legacy_kind, legacy, _ = run(os.path.join(data["shims"], "easyr1_reward.py"), cases, True, kwargs)
    emit({"kinds": [batch_kind, raw_kind, seq_kind, legacy_kind], "batch": batch, "raw": raw, "sequential": seq, "legacy": legacy,
          "logged": logged, "kept": {key: kept(cases, batch, key) for key in ("overall", "accuracy", "unit")},
          "groups": len({c["group"] for c in cases})})


if __name__ == "__main__":
    main()
