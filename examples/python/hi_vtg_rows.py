"""Turns HI-VTG annotation items into trainer rows: one row per query, with the RaRftTarget the reward
server expects (paired exactly as ra-rft-rewards' hiVtgTargets and the RA-RFT reference trainer do).

Usage: python3 hi_vtg_rows.py hi_vtg_charades.json > rows.jsonl
Each row: {"video", "query", "relevant", "target"} — map them to your trainer's columns (docs/integration.md).
"""
import json
import sys


def rows(item):
    positive = next((g for g in item["GRPO"] if g["r"]), None)
    negative = next((g for g in item["GRPO"] if not g["r"]), None)
    if positive is not None:
        target = {"relevant": True, "span": list(item["timestamp"]), "duration": item["duration"],
                  "answer": positive["a"].strip(), "query": positive["q"].strip()}
        if negative is not None:
            target["contrast"] = negative["a"].strip()
        yield {"video": item["video"], "query": positive["q"].strip(), "relevant": True, "target": target}
    if negative is not None:
        target = {"relevant": False, "answer": negative["a"].strip(), "duration": item["duration"]}
        if positive is not None:
            target.update(contrast=positive["a"].strip(), query=positive["q"].strip())
        yield {"video": item["video"], "query": negative["q"].strip(), "relevant": False, "target": target}


if __name__ == "__main__":
    for item in json.load(open(sys.argv[1], encoding="utf-8")):
        for row in rows(item):
            print(json.dumps(row))
