"""The RA-RFT reference rules (format + refuse-aware IoU), restated in plain Python (standard library only).

The code follows JINSUBY/RA-RFT main_rarft.py: the same regexes, the same extraction, the same formula,
written as fast as plain Python allows so that the bench ratio is against a fair baseline: patterns
compiled once and their methods bound to module-level names, no per-call attribute or module lookups,
locals for everything used in the loop. `npm run bench` runs it on the public vectors beside the
TypeScript library and reports the ratio.

Usage: python3 bench/reference.py VECTORS.jsonl [--seconds 2]
Prints one JSON line: {"completions_per_s": ..., "mismatches": ..., "cases": ...}.
With --rounds it reads a number of seconds per line of stdin and answers each with one such line.
"""
import json
import re
import sys
import time

_find_answers = re.compile(r"<answer>(.*?)</answer>", re.DOTALL).findall
_format_fullmatch = re.compile(r"<think>.*?</think>\s*<answer>.*?</answer>\s*<correction>.*?</correction>", re.DOTALL).fullmatch
_search_timestamp = re.compile(r"(\d+\.?\d*)\s+to\s+(\d+\.?\d*)", re.IGNORECASE).search


def format_reward(completion, _fullmatch=_format_fullmatch):
    return 1.0 if _fullmatch(completion.strip()) else 0.0


def refuse_iou(completion, target, _findall=_find_answers, _search=_search_timestamp, _abs=abs):
    answers = _findall(completion)
    if not answers:
        return 0.0
    match = _search(answers[-1].strip())
    if not target["relevant"]:
        return 0.0 if match else 1.0
    if not match:
        return 0.0
    start, end = match.groups()
    start = float(start)
    end = float(end)
    gt_start, gt_end = target["span"]
    duration = target["duration"]
    # max/min as the builtins evaluate them (min(a, b) is b only when b < a), without their call overhead.
    intersection = (gt_end if gt_end < end else end) - (gt_start if gt_start > start else start)
    if not intersection > 0:
        intersection = 0
    union = (gt_end if gt_end > end else end) - (gt_start if gt_start < start else start)
    if union <= 0:
        return 0.0
    return intersection / union * (1 - _abs(gt_start / duration - start / duration)) * (1 - _abs(gt_end / duration - end / duration))


def measure(pairs, seconds):
    """Completions per second of format + refuse_iou over `pairs` for `seconds`, and a checksum."""
    fmt = format_reward
    riou = refuse_iou
    clock = time.perf_counter
    scored = 0
    checksum = 0.0
    start = clock()
    while clock() - start < seconds:
        for completion, target in pairs:
            checksum += fmt(completion) + riou(completion, target)
        scored += len(pairs)
    return scored / (clock() - start), checksum


def main():
    path = sys.argv[1]
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 2.0
    with open(path, encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    mismatches = sum(
        1
        for case in cases
        if abs(format_reward(case["completion"]) - case["expect"]["format"]) > 1e-9
        or abs(refuse_iou(case["completion"], case["target"]) - case["expect"]["refuseIoU"]) > 1e-9
    )
    pairs = [(case["completion"], case["target"]) for case in cases]
    if "--rounds" in sys.argv:
        # Round mode: one measurement per line of stdin (its seconds), one JSON line back each, so that a
        # caller can alternate with its own measurements while the machine's pace drifts.
        for line in sys.stdin:
            per_s, checksum = measure(pairs, float(line))
            print(json.dumps({"completions_per_s": per_s, "mismatches": mismatches, "checksum": checksum}), flush=True)
        return
    per_s, checksum = measure(pairs, seconds)
    print(json.dumps({"completions_per_s": per_s, "mismatches": mismatches, "cases": len(cases), "checksum": checksum}))


if __name__ == "__main__":
    main()
