"""Re-enacts how EasyR1 (main after v0.3.2, verl/workers/reward/function.py: AutoRewardManager) calls a reward
function, written from reading that file: worker.reward.reward_function=path:name is loaded by path as module
"custom_reward_fn" (registered in sys.modules, folder not on sys.path); the module's REWARD_TYPE picks "batch"
(one call with a list of reward inputs) or "sequential" (one call per input); each input is {"response",
"response_length", "ground_truth"}, the response decoded with skip_special_tokens (default True; False keeps
<|im_end|>); every result must hold a numeric "overall". The online filter (algorithm.online_filtering) groups by
prompt and keeps a group iff filter_low < mean(filter_key) < filter_high, defaults overall, 0.01, 0.99.
"""
import os

from common import emit, load_by_path, read_cases


def manager(path):
    module = load_by_path("custom_reward_fn", path, register=True)
    return module.compute_score, getattr(module, "REWARD_TYPE", "batch")


def run(path, cases, skip_special_tokens):
    fn, kind = manager(path)
    inputs = [{"response": c["clean"] if skip_special_tokens else c["raw"], "response_length": len(c["raw"]),
               "ground_truth": c["struct"]} for c in cases]
    results = fn(inputs) if kind == "batch" else [fn(x) for x in inputs]
    assert all(isinstance(r["overall"], float) for r in results)
    assert all(isinstance(v, (int, float)) and v is not None for r in results for v in r.values())
    return kind, results


def kept(cases, results, key, low=0.01, high=0.99):
    groups = {}
    for case, result in zip(cases, results):
        groups.setdefault(case["group"], []).append(result[key])
    return sum(1 for values in groups.values() if low < sum(values) / len(values) < high)


def main():
    data = read_cases()
    cases = data["cases"]
    batch_kind, batch = run(os.path.join(data["shims"], "easyr1_reward.py"), cases, skip_special_tokens=True)
    raw_kind, raw = run(os.path.join(data["shims"], "easyr1_reward.py"), cases, skip_special_tokens=False)
    seq_kind, seq = run(os.path.join(data["shims"], "easyr1_reward_sequential.py"), cases, skip_special_tokens=False)
    emit({"kinds": [batch_kind, raw_kind, seq_kind], "batch": batch, "raw": raw, "sequential": seq,
          "kept": {key: kept(cases, batch, key) for key in ("overall", "accuracy", "unit")},
          "groups": len({c["group"] for c in cases})})


main()
