"""Oracle for test/python-oracle.test.ts: Python's own str, float, re and json, and restatements of the
upstream VTG reward functions (written for this project from the upstream code named in each TSDoc).

Reads a JSON array of [name, args] from stdin; writes a JSON array of results, each {"v": value} with
floats as {"f": repr} (so NaN and infinities survive), or {"e": exception class name}.
"""
import json
import math
import re
import sys


def enc(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return {"f": repr(float(value))}
    if isinstance(value, (list, tuple)):
        return [enc(v) for v in value]
    return value


# --- Python facts -----------------------------------------------------------------------------------
def py_float(s):
    return float(s)


def py_strip(s):
    return s.strip()


def py_json_pair(s):
    a, b = json.loads(s)
    return [float(a), float(b)]


# --- TVG-R1 (EasyR1 tvgonly): first <time> block, stripped, json, unpacked, float() ------------------
def tvg_r1_span(text):
    m = re.search(r"<time>(.*?)</time>", text, re.DOTALL)
    start, end = json.loads(m.group(1).strip())
    return [float(start), float(end)]


# --- TimeLens: extract_time (evaluation) and the GRPO copy that replaces "to" with "-" first ---------
def _extract_time(paragraph):
    timestamps = []
    clock = re.findall(r"\b(\d{1,2}:\d{2}:\d{2}(?:\.\d+)?|\d{1,2}:\d{2}(?:\.\d+)?)\b", paragraph)
    clock = clock[: len(clock) // 2 * 2]
    if clock:
        seconds = []
        for t in clock:
            parts = t.split(":")
            if len(parts) == 3:
                seconds.append(float(int(parts[0]) * 3600 + int(parts[1]) * 60 + float(parts[2])))
            else:
                seconds.append(float(int(parts[0]) * 60 + float(parts[1])))
        timestamps = [(seconds[i], seconds[i + 1]) for i in range(0, len(seconds), 2)]
    if not timestamps:
        for pattern in (r"(\d+\.?\d*)\s*-\s*(\d+\.?\d*)", r"(\d+\.?\d*)\s+to\s+(\d+\.?\d*)"):
            found = re.findall(pattern, paragraph)
            if found:
                timestamps = [(float(a), float(b)) for a, b in found]
                break
    if not timestamps:
        bare = re.findall(r"\b(\d+\.\d+|\d+)\b", paragraph)
        bare = bare[: len(bare) // 2 * 2]
        timestamps = [(float(bare[i]), float(bare[i + 1])) for i in range(0, len(bare), 2)]
    return [list(t) for t in timestamps]


def timelens_eval_spans(text):
    return _extract_time(text.lower())


def timelens_train_spans(text):
    return _extract_time(text.lower().replace("to", "-"))


def _iou_eval(a, b):
    max0, min0, max1, min1 = max(a[0], b[0]), min(a[0], b[0]), max(a[1], b[1]), min(a[1], b[1])
    return max(min1 - max0, 0) / (max1 - min0)


def timelens_eval_iou(text, gt):
    spans = _extract_time(text.lower()) or [(-100, -100)]
    return _iou_eval(gt, spans[0])


def timelens_train_iou(text, gt):
    m = re.match(r"<think>.*?</think>\s*<answer>(.*?)</answer>", text, re.DOTALL)
    answer = m.group(1) if m else text
    spans = _extract_time(answer.lower().replace("to", "-"))
    if not spans or spans[0][0] >= spans[0][1]:
        return 0
    a, b = gt, spans[0]
    denom = max(a[1], b[1]) - min(a[0], b[0])
    if denom <= 0:
        return 0.0
    return max(min(a[1], b[1]) - max(a[0], b[0]), 0) / denom


# --- MUSEG (src/train.py) ----------------------------------------------------------------------------
def museg_format(content, with_timestamps=True):
    reward = 0.0
    try:
        for tag in ("<think>", "</think>", "<answer>", "</answer>"):
            assert len(re.findall(tag, content, re.DOTALL)) == 1
        thinking, segment_str = re.search(r"^\s*<think>(.*?)</think>\s*<answer>(.*?)</answer>\s*$", content, re.DOTALL).groups()
        reward = 1.0
        timestamps = []
        for item in segment_str.strip().split():
            try:
                t = item.split("-")
                timestamps.extend([float(t[0]), float(t[1])])
            except Exception:
                reward = 0.2
                break
        if with_timestamps and reward == 1.0:
            for ts in timestamps:
                n = len(re.findall(str(ts), thinking, re.DOTALL))
                if n < 1 or n > 10:
                    reward = 0.6
                    break
    except Exception:
        pass
    return reward


def _museg_segments(content, merge):
    assert len(re.findall(r"<answer>", content, re.DOTALL)) == 1
    assert len(re.findall(r"</answer>", content, re.DOTALL)) == 1
    body = re.search(r"<answer>(.*?)</answer>", content, re.DOTALL).group(1)
    segments = []
    for item in body.strip().split():
        t = item.split("-")
        try:
            st, ed = float(t[0]), float(t[1])
        except Exception:
            assert False
        assert st >= 0 and ed >= 0
        assert st < ed
        segments.append([st, ed])
    if merge:
        segments = sorted(segments, key=lambda s: s[0])
        while True:
            changed = False
            for i in range(len(segments) - 1):
                if segments[i][1] >= segments[i + 1][0]:
                    segments[i][0] = min(segments[i][0], segments[i + 1][0])
                    segments[i][1] = max(segments[i][1], segments[i + 1][1])
                    segments[i + 1] = None
                    changed = True
                    break
            if not changed:
                break
            segments = [s for s in segments if s is not None]
    return segments


def museg_segment(content, gts):
    try:
        segments = _museg_segments(content, True)
        all_gt = sum([g[1] - g[0] for g in gts])
        all_sel = sum([s[1] - s[0] for s in segments])
        overlap = 0
        for g in gts:
            for s in segments:
                overlap += max(0, min(s[1], g[1]) - max(s[0], g[0]))
        p, r = overlap / (all_sel + 1e-6), overlap / (all_gt + 1e-6)
        glob = 2 * p * r / (p + r + 1e-6)
    except Exception:
        glob = 0.0
    try:
        segments = _museg_segments(content, False)
        gts = [list(g) for g in gts]
        if len(gts) < len(segments):
            gts.extend([[1e9, 1e9 + 1]] * (len(segments) - len(gts)))
        elif len(segments) < len(gts):
            segments.extend([[1e9, 1e9 + 1]] * (len(gts) - len(segments)))
        scores = []
        for g, s in zip(gts, segments):
            inter = max(0, min(g[1], s[1]) - max(g[0], s[0]))
            union = g[1] - g[0] + s[1] - s[0] - inter
            enclosure = max(g[1], s[1]) - min(g[0], s[0])
            scores.append((1 + inter / union - (enclosure - union) / enclosure) / 2)
        local = sum(scores) / len(scores)
    except Exception:
        local = 0.0
    return glob + local


# --- Temporal-R1 (verl/utils/reward_score/tvg.py) ----------------------------------------------------
def _temporal_iou(a, b):
    max0, min0, max1, min1 = max(a[0], b[0]), min(a[0], b[0]), max(a[1], b[1]), min(a[1], b[1])
    return max(0, max(min1 - max0, 0) / (max1 - min0))


def temporal_r1_format(text):
    pattern = r'<think>.*?</think>\s*<answer>\s*{\s*"start_time"\s*:\s*"([\d.]+)"\s*,\s*"end_time"\s*:\s*"([\d.]+)"\s*}\s*</answer>'
    return 1.0 if re.fullmatch(pattern, text, re.DOTALL) else 0.0


def temporal_r1_iou(text, gt, length):
    try:
        data = json.loads(re.search(r"<answer>(.*?)</answer>", text, re.DOTALL).group(1).strip())
        return _temporal_iou([float(data["start_time"]) / length, float(data["end_time"]) / length], [gt[0] / length, gt[1] / length])
    except Exception:
        return 0.0


# --- TempSamp-R1 (scripts/timelens/timelens_reward.py, shaping on) -----------------------------------
def _tempsamp_parse(text):
    if not text:
        return None
    m = re.search(r"<answer>(.*?)</answer>", text, re.DOTALL)
    search = m.group(1) if m else text
    for pattern in (r"(\d+\.?\d*)\s*(?:to|and)\s*(\d+\.?\d*)", r"(\d+\.?\d*)\s*-\s*(\d+\.?\d*)"):
        found = re.findall(pattern, search)
        if found:
            return float(found[-1][0]), float(found[-1][1])
    nums = re.findall(r"\b(\d+\.?\d*)\b", search)
    if len(nums) >= 2:
        return float(nums[0]), float(nums[1])
    return None


def tempsamp_span(text):
    span = _tempsamp_parse(text)
    return None if span is None else list(span)


def tempsamp_reward(text, gt):
    pred = _tempsamp_parse(text)
    iou = 0.0
    if pred is not None:
        inter = max(0, min(pred[1], gt[1]) - max(pred[0], gt[0]))
        union = max(pred[1], gt[1]) - min(pred[0], gt[0])
        iou = inter / union if union > 0 else 0.0
    t, alpha = 0.8, 1.0
    if iou >= t:
        shaped = t + math.log(iou - t + 1.0) * 0.01
    else:
        shaped = t - (math.exp(alpha * (t - iou)) - 1.0) / (math.exp(alpha) - 1.0)
    fmt = 0.0
    m = re.search(r"<answer>(.*?)</answer>", text, re.DOTALL)
    if m and re.search(r"\d+\.?\d*\s*(?:to|and|-)\s*\d+\.?\d*", m.group(1)):
        fmt = 1.0
    return shaped * 1.0 + fmt * 0.1


# --- VideoChat-R1 (src/open_r1/grpo_tg.py) -----------------------------------------------------------
def videochat_tg_iou(text, gt):
    answers = re.findall(r"<answer>(.*?)</answer>", text, re.DOTALL)
    if not answers:
        return 0.0
    found = re.findall(r"(\d+\.?\d*) (to|and) (\d+\.?\d*)", answers[-1], re.IGNORECASE)
    if not found:
        return 0.0
    s, e = float(found[-1][0]), float(found[-1][2])
    if s > e:
        return 0.0
    inter = max(0, min(e, gt[1]) - max(s, gt[0]))
    union = max(e, gt[1]) - min(s, gt[0])
    return inter / union if union > 0 else 1.0


def main():
    calls = json.loads(sys.stdin.read())
    out = []
    for name, args in calls:
        try:
            out.append({"v": enc(globals()[name](*args))})
        except Exception as error:
            out.append({"e": type(error).__name__})
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
