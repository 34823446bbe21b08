"""Bench driver for the pip package, run by bench/python.bench.mjs in a virtual environment that has the wheel.

Usage: python bench/python_package.py BATCHES.json REFERENCE_DIR [--rounds N]
BATCHES.json: {"light": {"completions": [...512], "targets": [...512]}, "uselite": [{"completions", "targets"}, ...]}
Prints one JSON line: rounds of (package, pure Python) on format + refuseIoU, the pipe's cost per call, the
USE-lite batches' times, and the engine's resident memory (VmRSS / VmHWM) for each embedder.
"""
import copy
import json
import sys
import time

import ra_rft_rewards as rr
from ra_rft_rewards import _transport


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) * 1024
    return fields


def main():
    batches = json.load(open(sys.argv[1], encoding="utf-8"))
    sys.path.insert(0, sys.argv[2])
    import reference  # bench/reference.py: the reference rules in plain Python, written as fast as Python allows

    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 25
    light = batches["light"]
    completions = light["completions"]
    group = light["groupSize"]
    # verl repeats each prompt's row G times (the same objects); TRL's dataloader gives a new, equal dict per row.
    shared = [t for k, t in enumerate(light["targets"][::group]) for _ in range(group)]
    copies = [copy.deepcopy(t) for t in shared]
    targets = shared
    fmt, riou, clock = reference.format_reward, reference.refuse_iou, time.perf_counter

    def python_batch():
        return [fmt(c) + riou(c, t) for c, t in zip(completions, targets)]

    def package_batch(targets=shared):
        return rr.score(completions, targets, parts=["format", "refuse_iou"], end_tokens=False).total

    def package_copies():
        return package_batch(copies)

    def timed(fn, seconds):
        calls, start = 0, clock()
        while clock() - start < seconds:
            fn()
            calls += 1
        return (clock() - start) / calls

    # Same numbers first: the bench compares equal work.
    mismatches = sum(1 for a, b, c in zip(python_batch(), package_batch(), package_copies()) if abs(a - b) > 1e-9 or a != c and abs(a - c) > 1e-9)
    for _ in range(3):
        package_batch(), python_batch()
    out = {"batch": len(completions), "mismatches": mismatches, "rounds": []}
    for _ in range(rounds):
        out["rounds"].append({"package_s": timed(package_batch, 0.2), "copies_s": timed(package_copies, 0.2), "python_s": timed(python_batch, 0.2)})
    engine = _transport.get_engine()
    out["tiny_call_s"] = timed(lambda: rr.format_reward("<answer>1 to 2</answer>"), 1.0)
    out["memory_trigram"] = memory(engine.process.pid)
    rr.score(completions, targets, embedder="trigram")
    out["memory_trigram_all_parts"] = memory(engine.process.pid)
    rr.close_engines()

    # USE-lite on all four parts: each batch is new text (the embedder's cache cannot skip it), as in training.
    times = []
    rr.score(["<think>w</think><answer>warm up</answer><correction>NIL</correction>"], batches["uselite"][0]["targets"][0], embedder="use-lite")
    for batch in batches["uselite"]:
        start = clock()
        rr.score(batch["completions"], batch["targets"], embedder="use-lite", end_tokens=False)
        times.append(clock() - start)
    out["uselite_s"] = times
    out["memory_uselite"] = memory(_transport.get_engine().process.pid)
    rr.close_engines()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
