"""The package's own tests run against the INSTALLED wheel (npm test builds it, installs it into a fresh virtual
environment and runs pytest from outside the repository): they import ra_rft_rewards from site-packages."""
import os

import pytest

import ra_rft_rewards


@pytest.fixture(autouse=True)
def fresh_engine(monkeypatch):
    """Each test starts with no engine and the deterministic trigram embedder."""
    monkeypatch.setenv("RA_RFT_EMBEDDER", "trigram")
    monkeypatch.delenv("RA_RFT_REWARD_URL", raising=False)
    ra_rft_rewards.close_engines()
    yield
    ra_rft_rewards.close_engines()


RELEVANT = {"relevant": True, "span": [3.1, 10.9], "duration": 30.04, "answer": "<answer>3.1 to 10.9</answer>",
            "contrast": "<answer>No one drops groceries.</answer>", "query": "the person puts the groceries on the table."}
IRRELEVANT = {"relevant": False, "duration": 30.04, "answer": "<answer>No one drops groceries.</answer>",
              "contrast": "<answer>3.1 to 10.9</answer>", "query": "the person puts the groceries on the table."}
GOOD = "<think>seen</think><answer>4 to 11</answer><correction>NIL</correction>"
REFUSAL = "<think>no drop</think><answer>No one drops groceries in the video.</answer><correction>the person puts the groceries on the table.</correction>"


def site_packages_only():
    return os.path.dirname(os.path.dirname(ra_rft_rewards.__file__))
