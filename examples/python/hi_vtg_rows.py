"""Turns HI-VTG annotation items into trainer rows, one per query, with its target (paired by the library's
hiVtgTargets, as the RA-RFT reference trainer pairs them). Needs the pip package.

Usage: python3 hi_vtg_rows.py hi_vtg_charades.json > rows.jsonl
Each row: {"video", "query", "relevant", "target"}; map them to your trainer's columns (docs/integration.md).
"""
import json
import sys

from ra_rft_rewards import hi_vtg_rows


def rows(item):
    """The rows of one annotation item."""
    return hi_vtg_rows([item])


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        items = json.load(handle)
    for row in hi_vtg_rows(items):
        print(json.dumps(row))
