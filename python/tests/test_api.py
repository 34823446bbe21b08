"""The Python API over the engine: per-item and batch calls, typed results, errors that name the row and field."""
import json
import logging
import math
import socket

import pytest

import ra_rft_rewards as rr
from conftest import GOOD, IRRELEVANT, REFUSAL, RELEVANT


def test_installed_from_site_packages_not_the_repository():
    assert "site-packages" in rr.__file__
    assert (rr._transport.ENGINE_DIR / "engine.mjs").is_file()


def test_per_item_and_batch_give_the_same_numbers_in_one_request_each():
    single = [rr.refuse_iou(c, t) for c, t in ((GOOD, RELEVANT), (REFUSAL, IRRELEVANT))]
    batch = rr.refuse_iou([GOOD, REFUSAL], [RELEVANT, IRRELEVANT])
    assert batch == single
    assert isinstance(batch[0], float) and 0 < batch[0] < 1 and batch[1] == 1.0
    # One target for the whole group.
    assert rr.refuse_iou([GOOD, GOOD], RELEVANT) == [single[0], single[0]]


def test_score_returns_typed_rewards_and_columns():
    scores = rr.score([GOOD, REFUSAL], [RELEVANT, json.dumps(IRRELEVANT)])
    assert len(scores) == 2 and scores.embedder == "trigram-hash-256"
    first = scores[0]
    assert isinstance(first, rr.Reward)
    assert first.total == pytest.approx(first.format + first.refuse_iou + first.explain + first.correction, abs=1e-12)
    assert scores.total == [r.total for r in scores]
    assert scores.refuse_iou == rr.refuse_iou([GOOD, REFUSAL], [RELEVANT, IRRELEVANT])
    assert scores.as_dicts()[1]["refuseIoU"] == 1.0
    assert all(isinstance(v, float) for v in scores.total)


def test_parts_and_weights():
    both = rr.score([GOOD, REFUSAL], [RELEVANT, IRRELEVANT])
    light = rr.score([GOOD, REFUSAL], [{"relevant": True, "span": [3.1, 10.9], "duration": 30.04}, {"relevant": False}], parts=["format", "refuse_iou"])
    assert light.format == both.format and light.refuse_iou == both.refuse_iou
    assert light.explain == [None, None] and light.embedder is None
    assert light.total == [f + r for f, r in zip(both.format, both.refuse_iou)]
    weighted = rr.score([GOOD], [RELEVANT], weights={"explain": 0.5, "refuse_iou": 2})
    r = both[0]
    assert weighted[0].total == pytest.approx(r.format + 2 * r.refuse_iou + 0.5 * r.explain + r.correction, abs=1e-12)


def test_strict_profile_and_end_tokens():
    ended = GOOD + "<|im_end|>"
    assert rr.format_reward(GOOD) == 1.0
    assert rr.score([ended], [RELEVANT])[0].format == 1.0  # stripped by default, as the CLI and server do
    assert rr.score([ended], [RELEVANT], end_tokens=False)[0].format == 0.0
    assert rr.format_reward("<answer>1 to 2</answer>", profile="strict") == 0.0


def test_variants_advantages_and_helpers():
    assert rr.plain_iou("<answer>4 to 11</answer>", RELEVANT) == pytest.approx(rr.temporal_iou([4, 11], [3.1, 10.9]), abs=1e-12)
    assert rr.time_r1_iou(["<answer>4 to 11</answer>"], RELEVANT)[0] <= 1
    assert rr.strip_end_tokens("abc<|im_end|>") == "abc"
    advantages = rr.group_relative_advantage([1, 0, 1, 0], group_size=2)
    assert [math.copysign(1, a) for a in advantages] == [1, -1, 1, -1]
    assert rr.group_relative_advantage([3, 1, None, 2], group_size=4, scale="none") == [1.0, -1.0, 0.0, 0.0]
    kinds = rr.classify_answer(["<answer>No such event.</answer>", "<answer>1 to 2</answer>"])
    assert len(kinds) == 2 and all(isinstance(kind, str) for kind in kinds) and kinds[0] != kinds[1]


def test_a_bad_target_names_the_row_and_field():
    with pytest.raises(rr.TargetError) as caught:
        rr.refuse_iou([GOOD, GOOD], [RELEVANT, {"relevant": True, "duration": 3}])
    assert caught.value.field == "targets[1].span"
    assert "targets[1].span" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(rr.TargetError, match=r"targets\[0\] holds NaN"):
        rr.score([GOOD], [{"relevant": True, "span": [1, float("nan")], "duration": 3}], parts=["refuse_iou"])
    with pytest.raises(rr.TargetError, match=r"targets\[1\]\.answer"):
        rr.score([GOOD, GOOD], [RELEVANT, {"relevant": False}])


def test_on_error_none_gives_none_for_that_row_only():
    scores = rr.score([GOOD, GOOD], [{"relevant": True, "answer": "a", "contrast": "b"}, RELEVANT], on_error="none")
    assert scores[0] is None and scores[1] is not None
    assert scores.total[0] is None
    assert scores.errors[0]["path"] == "targets[0].span"


def test_bad_options_raise_options_errors():
    with pytest.raises(rr.OptionsError, match="unknown reward part"):
        rr.score([GOOD], [RELEVANT], parts=["iou"])
    with pytest.raises(rr.OptionsError, match="profile"):
        rr.score([GOOD], [RELEVANT], profile="lenient")  # type: ignore[arg-type]
    with pytest.raises(rr.OptionsError, match="1 completions but 2 targets"):
        rr.score([GOOD], [RELEVANT, RELEVANT])
    with pytest.raises(rr.OptionsError, match="groupSize"):
        rr.group_relative_advantage([1, 2, 3], group_size=0)


def test_numpy_inputs_as_trainers_hand_them_over():
    np = pytest.importorskip("numpy")
    target = dict(RELEVANT, span=np.array([3.1, 10.9]), duration=np.float64(30.04))
    assert rr.refuse_iou(GOOD, target) == rr.refuse_iou(GOOD, RELEVANT)
    assert rr.score(np.array([GOOD], dtype=object), [target]).total == rr.score([GOOD], [RELEVANT]).total


def test_hi_vtg_rows_pair_targets_as_the_library_does():
    item = {"video": "v.mp4", "query_text": "a man sings.", "duration": 30.0, "timestamp": [1.0, 4.0], "GRPO": [
        {"q": "a man sings.", "a": "1.0 to 4.0", "r": True},
        {"q": "a man dances.", "a": "No one dances.", "r": False, "c": ["hard"]}]}
    rows = rr.hi_vtg_rows([item])
    assert [r["relevant"] for r in rows] == [True, False]
    assert rows[0]["target"]["span"] == [1.0, 4.0] and rows[1]["target"]["answer"] == "No one dances."
    assert rows[1]["query"] == "a man dances."


def test_any_text_scores_the_same_in_a_batch_as_alone():
    texts = [GOOD, "<think>🎬 ünïcödé</think><answer>1 to 2</answer><correction>NIL</correction>", "<answer>\u3000 No.\u200b</answer>", "tab\tand \"quotes\" \\ slash"]
    with_separator = texts + ["<answer>1 to 2</answer>\x1e<correction>NIL</correction>"]
    with_surrogate = texts + ["<answer>\ud800 1 to 2</answer>"]
    for batch in (texts * 5, with_separator * 4, with_surrogate * 4):  # a blob; JSON (separator inside); JSON (lone surrogate)
        assert len(batch) >= 16
        alone = [rr.refuse_iou(text, RELEVANT) for text in batch]
        assert rr.score(batch, RELEVANT, parts=["refuse_iou"]).refuse_iou == alone
        assert rr.score(batch, RELEVANT).format == [rr.format_reward(text) for text in batch]


def test_repeated_targets_are_sent_once_and_errors_still_name_the_row():
    from ra_rft_rewards._api import distinct_targets

    bad = {"relevant": True, "duration": 3.0}
    rows = [RELEVANT] * 8 + [dict(bad) for _ in range(8)]
    unique, index = distinct_targets(rows)
    assert len(unique) == 2 and index == [0] * 8 + [1] * 8
    with pytest.raises(rr.TargetError) as caught:
        rr.score([GOOD] * 16, rows, parts=["refuse_iou"])
    assert caught.value.field == "targets[8].span"
    scores = rr.score([GOOD] * 16, rows, parts=["refuse_iou"], on_error="none")
    assert scores.refuse_iou[:8] == [rr.refuse_iou(GOOD, RELEVANT)] * 8 and scores.refuse_iou[8:] == [None] * 8


def test_a_python_callable_embeds_each_distinct_text_once_per_batch():
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return [[float(len(t)), float(sum(map(ord, t)) % 97), 1.0] for t in texts]

    group = [GOOD, REFUSAL] * 4
    targets = [RELEVANT, IRRELEVANT] * 4
    first = rr.score(group, targets, embedder=embed)
    assert len(calls) == 1 and len(calls[0]) == len(set(calls[0]))
    assert len(calls[0]) <= 19  # a GRPO group of 8: at most 19 distinct texts
    again = rr.score(group, targets, embedder=embed)
    assert again.total == first.total
    assert len(calls) == 1  # every text of the second batch was cached (references and predictions alike)
    assert rr.explanation_similarity(GOOD, RELEVANT, embedder=embed) == first.explain[0]


def test_a_failing_python_embedder_fails_the_call_never_a_reward(monkeypatch):
    def broken(texts):
        raise RuntimeError("CUDA out of memory")

    with pytest.raises(rr.EngineError, match="the Python embedder failed: RuntimeError: CUDA out of memory"):
        rr.score([GOOD], [RELEVANT], embedder=broken)

    def short(texts):
        return [[1.0, 0.0]] * (len(texts) - 1)

    with pytest.raises(rr.EngineError, match=r"returned \d+ vectors for \d+ texts"):
        rr.score([GOOD], [RELEVANT], embedder=short)
    assert rr.format_reward(GOOD) == 1.0  # the engine is fine afterwards
    monkeypatch.setenv("RA_RFT_REWARD_URL", "http://127.0.0.1:9")
    with pytest.raises(rr.OptionsError, match="unset RA_RFT_REWARD_URL"):
        rr.score([GOOD], [RELEVANT], embedder=lambda texts: [[1.0]] * len(texts))


def test_the_online_audit_warns_through_logging_when_a_detector_fires(caplog):

    irrelevant = {"relevant": False, "duration": 30.0, "answer": "No one sings.", "contrast": "1 to 2", "query": "a man sings."}
    never_refusing = [f"<think>t</think><answer>{i} to {i + 2}</answer><correction>NIL</correction>" for i in range(8)]
    with caplog.at_level(logging.WARNING, logger="ra_rft_rewards"):
        for step in range(1, 13):  # a policy that answers every irrelevant query with a span
            rr.score(never_refusing * 4, [dict(irrelevant, query=f"a man sings {g}.") for g in range(4) for _ in range(8)],
                     parts=["format", "refuse_iou"], step=step)
    fired = [r.getMessage() for r in caplog.records if "audit: never-refuse" in r.getMessage()]
    assert len(fired) == 1, [r.getMessage() for r in caplog.records]
    assert "docs/audit.md" in fired[0]


def test_audit_runs_the_command_over_a_dump(tmp_path):
    lines = []
    for step in range(1, 9):
        for g in range(4):
            for i in range(8):
                lines.append({"step": step, "group": f"{step}-{g}", "completion": f"<think>t</think><answer>{i} to {i + 2}</answer><correction>NIL</correction>",
                              "target": {"relevant": False, "duration": 30.0, "answer": "No.", "contrast": "1 to 2", "query": "q"}, "score": 1.0})
    dump = tmp_path / "rollouts.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = rr.audit(dump, tmp_path / "audit")
    assert result.failed is True
    assert "never-refuse" in {f["detector"] for f in result.findings}
    assert (tmp_path / "audit" / "report.html").is_file()
    with pytest.raises(rr.EngineError, match="exited 2"):
        rr.audit(dump, tmp_path / "bad", args=["--no-such-flag"])


def test_audit_with_an_embedder_logs_its_estimate_first(tmp_path, caplog):
    lines = [{"step": step, "group": f"{step}-{g}", "completion": f"<think>t</think><answer>No {i}.</answer><correction>a cat {i}</correction>",
              "target": {"relevant": False, "duration": 30.0, "answer": "No.", "contrast": "1 to 2", "query": "a dog"}}
             for step in range(1, 4) for g in range(4) for i in range(8)]
    dump = tmp_path / "rollouts.jsonl"
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines))
    with caplog.at_level(logging.INFO, logger="ra_rft_rewards"):
        result = rr.audit(dump, tmp_path / "audit", embedder="trigram", fail_on="never")
    messages = [r.getMessage() for r in caplog.records]
    estimate = [m for m in messages if m.startswith("audit: re-scoring explain and correction with trigram-hash")]
    assert len(estimate) == 1 and "96 rollouts" in estimate[0], messages
    assert result.failed is False
    assert "re-computed with `trigram-hash" in (tmp_path / "audit" / "summary.md").read_text()
    with socket.socket() as closed:  # a port that was free a moment ago: nothing answers there
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(rr.EngineError, match="(?s)exited 3: .*the embedder failed: .*could not be reached"):
        rr.audit(dump, tmp_path / "down", embedder=f"openai:http://127.0.0.1:{port}/v1#m")
