"""Re-enacts how OpenRLHF v0.11.0 (openrlhf/utils/agent.py, SingleTurnAgentExecutor; samples_generator.py) scores
samples, written from reading those files: one sample per call; the query is prompt + response decoded with
skip_special_tokens=False (so it ends in <|im_end|>), the prompt is the template text before the processor
expanded <|video_pad|>; labels pass through as the dataset holds them (here: dicts). A .py --reward.remote_url is
loaded by path as module "reward_func" (not registered) and reward_func(queries, prompts, labels) runs in a
worker thread (asyncio.to_thread); each extra_logs value becomes info[key] (a tensor's first element), logged as
train/<key>. Over HTTP the sample goes to the first of the comma-separated URLs and the others get empty lists,
and only the first reply is used. Dynamic filtering keeps a prompt's group iff low < mean(scores) < high, (0, 1).
"""
import asyncio
import json
import math
import os
import urllib.request

from common import emit, load_by_path, package_path, read_cases

PAD = "<|video_pad|>"


def expanded(prompt):
    return prompt.replace(PAD, PAD * 96)


def first(value):
    if hasattr(value, "flatten"):  # a tensor: samples_generator takes value.flatten()[0].item()
        return float(value.flatten()[0].item())
    return float(value[0]) if isinstance(value, (list, tuple)) else float(value)


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=180) as response:
        return json.load(response)


async def http_mode(cases, urls):
    async def one(case):
        query = expanded(case["prompt"]) + case["raw"]
        bodies = [{"query": [query], "prompts": [case["prompt"]], "labels": [case["target"]]}]
        bodies += [{"query": [], "prompts": [], "labels": []} for _ in urls[1:]]
        replies = await asyncio.gather(*(asyncio.to_thread(post, url, body) for url, body in zip(urls, bodies)))
        for reply in replies[1:]:
            assert reply["rewards"] == [] and reply["scores"] == [], reply
        info = replies[0]
        return {"reward": info["rewards"][0], "score": (info.get("scores") or info["rewards"])[0],
                "extra_logs": {k: v[0] for k, v in info["extra_logs"].items()}}
    return await asyncio.gather(*(one(case) for case in cases))


async def file_mode(cases, path):
    module = load_by_path("reward_func", path)
    reward_func = module.reward_func

    async def one(case):
        query = expanded(case["prompt"]) + case["raw"]
        info = await asyncio.to_thread(reward_func, [query], [case["prompt"]], [case["target"]])
        return {"reward": first(info["rewards"]), "score": first(info["scores"]),
                "extra_logs": {f"train/{k}": first(v) for k, v in info["extra_logs"].items()},
                "tensor": hasattr(info["rewards"], "flatten")}
    return await asyncio.gather(*(one(case) for case in cases))


def kept_groups(cases, results, low=0.0, high=1.0):
    groups = {}
    for case, result in zip(cases, results):
        groups.setdefault(case["group"], []).append(result["score"])
    return sum(1 for scores in groups.values() if low < sum(scores) / len(scores) < high), len(groups)


def main():
    data = read_cases()
    cases = data["cases"]
    http = asyncio.run(http_mode(cases, [f"{data['url']}/get_reward", f"{data['url']}/get_reward"]))
    file = asyncio.run(file_mode(cases, package_path("openrlhf")))
    legacy = asyncio.run(file_mode(cases, os.path.join(data["shims"], "openrlhf_reward.py")))
    assert all(math.isfinite(r["reward"]) for r in http + file + legacy)
    emit({"http": http, "file": file, "legacy": legacy, "kept": list(kept_groups(cases, file))})


if __name__ == "__main__":
    main()
