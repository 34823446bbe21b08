"""The RA-RFT reference rules (format + refuse-aware IoU), restated in plain Python (standard library only).

The code follows JINSUBY/RA-RFT main_rarft.py: the same regexes, the same extraction, the same formula.
`npm run bench` runs it on the public vectors beside the TypeScript library and reports the ratio.

Usage: python3 bench/reference.py VECTORS.jsonl [--seconds 2]
Prints one JSON line: {"completions_per_s": ..., "mismatches": ..., "cases": ...}.
"""
import json
import re
import sys
import time

ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
FORMAT = re.compile(r"<think>.*?</think>\s*<answer>.*?</answer>\s*<correction>.*?</correction>", re.DOTALL)
TIMESTAMP = re.compile(r"(\d+\.?\d*)\s+to\s+(\d+\.?\d*)", re.IGNORECASE)


def extract_answer_content(completion):
    matches = ANSWER.findall(completion)
    if matches:
        return matches[-1].strip()
    return None


def format_reward(completion):
    return 1.0 if re.fullmatch(FORMAT, completion.strip()) else 0.0


def refuse_iou(completion, target):
    pred_answer = extract_answer_content(completion)
    if pred_answer is None:
        return 0.0
    match = TIMESTAMP.search(pred_answer)
    if not target["relevant"]:
        return 0.0 if match else 1.0
    if not match:
        return 0.0
    start_time = float(match.group(1))
    end_time = float(match.group(2))
    gt_start, gt_end = target["span"]
    duration = target["duration"]
    intersection = max(0, min(end_time, gt_end) - max(start_time, gt_start))
    union = max(end_time, gt_end) - min(start_time, gt_start)
    if union <= 0:
        return 0.0
    iou = intersection / union
    return iou * (1 - abs(gt_start / duration - start_time / duration)) * (1 - abs(gt_end / duration - end_time / duration))


def main():
    path = sys.argv[1]
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 2.0
    cases = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    mismatches = sum(
        1
        for case in cases
        if abs(format_reward(case["completion"]) - case["expect"]["format"]) > 1e-9
        or abs(refuse_iou(case["completion"], case["target"]) - case["expect"]["refuseIoU"]) > 1e-9
    )
    scored = 0
    checksum = 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for case in cases:
            checksum += format_reward(case["completion"]) + refuse_iou(case["completion"], case["target"])
        scored += len(cases)
    elapsed = time.perf_counter() - start
    print(json.dumps({"completions_per_s": scored / elapsed, "mismatches": mismatches, "cases": len(cases), "checksum": checksum}))


if __name__ == "__main__":
    main()
