"""How requests reach the engine: a Node.js child process spoken to over its standard input and output (the
default: started on first use, stopped at exit, started anew in a forked child), or a shared HTTP server when
RA_RFT_REWARD_URL is set. Both carry the same JSON requests (`ra-rft-rewards engine --help`)."""
from __future__ import annotations

import atexit
import collections
import http.client
import json
import logging
import os
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path
from typing import IO, Any, Callable, Deque, Dict, Mapping, Optional, Sequence, Union

from ._errors import EngineError, TargetError, error_from_engine
from ._node import find_node

logger = logging.getLogger("ra_rft_rewards")

ENGINE_DIR = Path(__file__).parent / "_engine"
ENGINE_SCRIPT = ENGINE_DIR / "engine.mjs"

#: A Python sentence embedder the engine may call back: texts in, one vector per text out.
EmbedFunction = Callable[[Sequence[str]], Any]


def json_default(value: Any) -> Any:
    """numpy arrays and scalars (parquet rows through pandas / datasets), torch tensors: duck-typed, no import."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def encode(payload: Mapping[str, Any]) -> bytes:
    """One request line. A NaN or infinite number (a broken target) is refused here, naming its row."""
    try:
        return json.dumps(payload, default=json_default, separators=(",", ":"), allow_nan=False).encode() + b"\n"
    except ValueError:
        for key in ("targets", "labels", "items"):
            rows = payload.get(key)
            if isinstance(rows, list):
                for row, value in enumerate(rows):
                    try:
                        json.dumps(value, default=json_default, allow_nan=False)
                    except ValueError:
                        index = payload.get("targetIndex") if key == "targets" else None
                        if isinstance(index, list) and row in index:
                            row = index.index(row)  # the first row that uses this distinct target
                        raise TargetError(f"{key}[{row}] holds NaN or an infinite number", field=f"{key}[{row}]") from None
        raise TargetError("the request holds NaN or an infinite number") from None


_SEPARATOR = "\x1e"


def encode_frames(payload: Mapping[str, Any]) -> bytes:
    """A request for the pipe. A batch's completions travel as one raw UTF-8 blob before the request line (joined by
    U+001E): JSON-escaping them costs more than the engine takes to score them. A batch whose text holds U+001E goes
    as plain JSON."""
    completions = payload.get("completions")
    if isinstance(completions, list) and len(completions) >= 16:
        joined = _SEPARATOR.join(completions)
        try:
            blob = joined.encode("utf-8") if joined.count(_SEPARATOR) == len(completions) - 1 else None
        except (UnicodeEncodeError, TypeError):
            blob = None  # a lone surrogate (kept exact by JSON's \\u escapes) or a non-str: plain JSON
        if blob is not None:
            rest = {key: value for key, value in payload.items() if key != "completions"}
            rest["completionsBlob"] = len(completions)
            return b"\x00blob %d\n" % len(blob) + blob + encode(rest)
    return encode(payload)


def _widen_pipe(stream: Optional[IO[bytes]]) -> None:
    """A 1 MiB pipe to the engine (Linux): a batch of a few hundred kilobytes is written at once, without waiting
    for the engine to drain 64 KiB at a time."""
    if stream is None:
        return
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError, ValueError):
        pass  # not Linux, or above this user's pipe limit: the default size works, a little slower


class _EngineDied(Exception):
    pass


class StdioEngine:
    """The engine as a child process. One request at a time crosses the pipe (a lock); the process starts on the
    first request and is started again once if it dies in the middle of one."""

    def __init__(self, embedders: Optional[Dict[str, EmbedFunction]] = None) -> None:
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._proc: Optional["subprocess.Popen[bytes]"] = None
        self._stdin: Optional[IO[bytes]] = None
        self._stdout: Optional[IO[bytes]] = None
        self._next_id = 0
        self._stderr: Deque[str] = collections.deque(maxlen=40)
        self.starts = 0
        self.embedders: Dict[str, EmbedFunction] = embedders if embedders is not None else {}

    @property
    def process(self) -> Optional["subprocess.Popen[bytes]"]:
        return self._proc

    def _start(self) -> None:
        if not ENGINE_SCRIPT.is_file():
            raise EngineError(f"the engine is missing from this installation ({ENGINE_SCRIPT}); reinstall ra-rft-rewards")
        node = find_node()
        proc = subprocess.Popen(
            [node, str(ENGINE_SCRIPT), "engine"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=True,
        )
        self._proc, self._stdin, self._stdout = proc, proc.stdin, proc.stdout
        _widen_pipe(proc.stdin)
        self.starts += 1
        tail = self._stderr
        stderr = proc.stderr

        def drain() -> None:
            assert stderr is not None
            for raw in iter(stderr.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip()
                tail.append(line)
                logger.info("%s", line)

        threading.Thread(target=drain, name=f"ra-rft-rewards-engine-{proc.pid}-stderr", daemon=True).start()
        logger.debug("ra_rft_rewards: engine started (pid %d, %s)", proc.pid, node)

    def _died(self) -> str:
        proc = self._proc
        code = None
        if proc is not None:
            try:
                code = proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
        self._proc = self._stdin = self._stdout = None
        # Give the stderr thread a moment to take the last lines.
        time.sleep(0.05)
        last = " | ".join(list(self._stderr)[-5:])
        return f"exit code {code}" + (f"; its last words: {last}" if last else "")

    def _exchange(self, payload: Mapping[str, Any]) -> Dict[str, Any]:
        if self._proc is None or self._proc.poll() is not None:
            if self._proc is not None:
                self._died()
            self._start()
        assert self._stdin is not None and self._stdout is not None
        self._next_id += 1
        ident = self._next_id
        line = encode_frames({"id": ident, **payload})
        try:
            self._stdin.write(line)
            self._stdin.flush()
        except (BrokenPipeError, OSError):
            raise _EngineDied() from None
        while True:
            raw = self._stdout.readline()
            if not raw:
                raise _EngineDied()
            message: Dict[str, Any] = json.loads(raw, parse_int=float)
            if message.get("op") == "embed":
                self._answer_embed(message)
                continue
            if message.get("id") == ident:
                return message
            if message.get("id") is None and not message.get("ok", True):
                raise EngineError(f"the engine refused a request line: {message.get('error', {}).get('message')}")

    def _answer_embed(self, message: Mapping[str, Any]) -> None:
        """A call back from the engine: embed these texts with the Python embedder of that name."""
        assert self._stdin is not None
        name = str(message.get("embedder"))
        reply: Dict[str, Any] = {"id": message.get("id"), "op": "embedded"}
        try:
            fn = self.embedders.get(name)
            if fn is None:
                raise LookupError(f"no Python embedder named {name!r} in this process")
            texts = list(message.get("texts", []))
            vectors = fn(texts)
            if hasattr(vectors, "tolist"):  # a numpy array or a torch tensor of shape (texts, dimensions)
                vectors = vectors.tolist()
            rows = [v.tolist() if hasattr(v, "tolist") else list(v) for v in vectors]
            if len(rows) != len(texts):
                raise ValueError(f"returned {len(rows)} vectors for {len(texts)} texts")
            reply["vectors"] = rows
            line = encode(reply)
        except Exception as error:  # noqa: BLE001 — sent back to the engine, which fails the batch with it
            line = encode({"id": message.get("id"), "op": "embedded", "error": f"{type(error).__name__}: {error}"})
        self._stdin.write(line)
        self._stdin.flush()

    def request(self, payload: Mapping[str, Any]) -> Any:
        """Sends one request and returns its result; raises the engine's error as a Python exception."""
        with self._lock:
            try:
                answer = self._exchange(payload)
            except _EngineDied:
                why = self._died()
                logger.warning("ra_rft_rewards: the engine died during %r (%s); starting it again and retrying once", payload.get("op"), why)
                try:
                    answer = self._exchange(payload)
                except _EngineDied:
                    why = self._died()
                    raise EngineError(f"the engine died twice while answering {payload.get('op')!r} ({why}); nothing was scored") from None
        if answer.get("ok"):
            return answer.get("result")
        raise error_from_engine(answer.get("error") or {})

    def close(self, timeout: float = 3.0) -> None:
        """Ends the engine: its input closes, it finishes and exits; killed if it has not after `timeout` s."""
        with self._lock:
            proc = self._proc
            self._proc = None
            if proc is None:
                return
            try:
                if proc.stdin is not None:
                    proc.stdin.close()
                proc.wait(timeout=timeout)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()


class HttpEngine:
    """The same requests against a shared server (`ra-rft-rewards serve`, POST /v1/rpc): many trainer processes,
    one engine. Retries a 503 (honouring Retry-After) and a lost connection with back-off."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.pid = os.getpid()
        self.embedders: Dict[str, EmbedFunction] = {}

    def request(self, payload: Mapping[str, Any]) -> Any:
        timeout = float(os.environ.get("RA_RFT_TIMEOUT", "120"))
        retries = int(os.environ.get("RA_RFT_RETRIES", "2"))
        body = encode(payload)
        parts = urllib.parse.urlsplit(self.url)
        headers = {"content-type": "application/json"}
        token = os.environ.get("RA_RFT_TOKEN")
        if token:
            headers["authorization"] = f"Bearer {token}"
        for attempt in range(retries + 1):
            delay = min(8.0, 0.5 * 2 ** attempt)
            connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = connection_class(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
            try:
                try:
                    connection.request("POST", parts.path.rstrip("/") + "/v1/rpc", body=body, headers=headers)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server stopped reading (413…): its answer may be waiting
                response = connection.getresponse()
                status, retry_after, text = response.status, response.getheader("retry-after"), response.read()
            except OSError as error:
                if attempt < retries:
                    time.sleep(delay)
                    continue
                raise EngineError(f"the ra-rft-rewards server at {self.url} (RA_RFT_REWARD_URL) did not answer ({type(error).__name__}: {error})") from None
            finally:
                connection.close()
            if status == 503 and attempt < retries:
                try:
                    time.sleep(float(retry_after) if retry_after else delay)
                except ValueError:
                    time.sleep(delay)
                continue
            try:
                answer = json.loads(text, parse_int=float)
            except ValueError:
                answer = None
            if isinstance(answer, dict) and "ok" in answer:
                if answer["ok"]:
                    return answer.get("result")
                raise error_from_engine(answer.get("error") or {}, where=f"server {self.url}")
            snippet = text[:300].decode("utf-8", "replace")
            raise EngineError(f"the ra-rft-rewards server at {self.url} answered HTTP {status}: {snippet}")
        raise AssertionError("unreachable")

    def close(self, timeout: float = 0.0) -> None:
        pass


Transport = Union[StdioEngine, HttpEngine]
_engines: Dict[str, Transport] = {}
_engines_lock = threading.Lock()


def get_engine() -> Transport:
    """The engine of this process: the server of RA_RFT_REWARD_URL when it is set, else the child engine (one per
    process; a forked child starts its own)."""
    url = os.environ.get("RA_RFT_REWARD_URL")
    key = f"http:{url}" if url else "stdio"
    with _engines_lock:
        found = _engines.get(key)
        if found is None or found.pid != os.getpid():
            found = HttpEngine(url) if url else StdioEngine()
            _engines[key] = found
        return found


def request(payload: Mapping[str, Any]) -> Any:
    return get_engine().request(payload)


def close_engines() -> None:
    """Stops this process's child engine (done at exit; the next call starts a new one)."""
    with _engines_lock:
        engines = [engine for engine in _engines.values() if engine.pid == os.getpid()]
        _engines.clear()
    for engine in engines:
        engine.close()


def _forget_after_fork() -> None:
    # The parent's engine and lock belong to the parent: the child must never write to that pipe, and a lock held
    # by a parent thread at fork time would stay held here. The child starts its own engine on first use.
    global _engines_lock
    _engines.clear()
    _engines_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(close_engines)
