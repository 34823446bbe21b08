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


# --- TaRO (src/rewards.py) ---------------------------------------------------------------------------
def _taro_parse(s):
    answers = re.findall(r"<answer>(.*?)</answer>", s, re.DOTALL)
    if not answers:
        return None
    matches = re.findall(r"(\d+\.?\d*)s (to|and) (\d+\.?\d*)s", answers[-1], re.IGNORECASE)
    if not matches:
        return None
    return float(matches[-1][0]), float(matches[-1][2])


def _taro_format(s):
    content = s.strip()
    for tag in ["<think>", "</think>", "<answer>", "</answer>"]:
        if content.count(tag) != 1:
            return 0.0
    return 1.0 if re.fullmatch(re.compile(r"^<think>.*?</think>\s*<answer>.*?</answer>$", re.DOTALL), content) else 0.0


def taro_reward(s, gt, duration, split, diff, thresh):
    fmt = _taro_format(s)
    reward, iou = 0.0, 0.0
    parsed = _taro_parse(s)
    gs, ge = max(gt[0], 0), min(gt[1], duration)
    if parsed:
        st, en = parsed
        inter = max(0, min(en, ge) - max(st, gs))
        union = max(en, ge) - min(st, gs)
        if union > 0:
            iou = inter / union
        if split == "train":
            reward = iou * (1 - abs(gs / duration - st / duration)) * (1 - abs(ge / duration - en / duration))
        else:
            reward = iou
    if reward != reward:
        reward = 0.0  # NaN: the library documents 0
    score = fmt + reward
    temp = 0.0
    if diff is not None:
        temp = 0.3 if diff > thresh + 0.0 else 0.0
        if iou >= 0.7:
            score = score + temp
    return [score, fmt, reward, temp, iou]


# --- Open-o3 Video (src/r1-v/src/open_r1/reward_func.py), task "temporal QA" + the key-frame point score --
def open_o3(content, gt, key_frames, step):
    think = re.search(r"<think>(.*?)</think>", content, re.DOTALL)
    answer = re.search(r"<answer>.*?</answer>", content, re.DOTALL)
    fmt = 0.0
    if think and answer and content.count("<think>") == content.count("</think>") and content.count("<answer>") == content.count("</answer>"):
        t = think.group(1)
        if t.count("<obj>") == t.count("</obj>") and t.count("<t>") == t.count("</t>") and t.count("<box>") == t.count("</box>"):
            fmt = 1.0 if t.count("<t>") >= 2 else 0.5
    m = re.search(r"<answer>\s*(.*?)\s*</answer>", content, re.DOTALL)
    out = m.group(1).strip() if m else ""
    tiou = 0.0
    mm = re.search(r"<t>(\d+\.?\d*)</t>s to <t>(\d+\.?\d*)</t>s", out)
    if mm:
        a, b = float(mm.group(1)), float(mm.group(2))
        if not b < a:
            inter = max(0, min(b, gt[1]) - max(a, gt[0]))
            union = max(b, gt[1]) - min(a, gt[0])
            tiou = inter / union if union != 0 else 0
    seg = 0.0
    times = []
    if think:
        try:
            times = [float(x) for x in re.findall(r"<t>([\d.]+)</t>s", think.group(1))]
        except Exception:
            times = []
        if times:
            seg = sum(1.0 for x in times if gt[0] <= x <= gt[1]) / len(times)
    point = 0.0
    if key_frames is not None and think and times:
        sigma = 4 * (1 - step) if step < 3 / 4 else 1
        point = sum(math.exp(-(min(abs(x - g) for g in key_frames) ** 2) / (2 * sigma ** 2)) for x in times) / len(times)
    return [fmt + tiou + seg + point, fmt, tiou, seg, point]


# --- TimeSearch-R (time_r1/reward/v7.py), one assistant turn ------------------------------------------
def _ts_merge(intervals):
    if not intervals:
        return []
    intervals = [list(i) for i in intervals]
    ordered = sorted(intervals, key=lambda x: x[0])
    merged = [ordered[0][:]]
    for cur in ordered[1:]:
        last = merged[-1]
        if cur[0] <= last[1]:
            merged[-1][1] = max(last[1], cur[1])
        else:
            merged.append(cur[:])
    return merged


def timesearch_iou(a, b):
    ma, mb = _ts_merge(a), _ts_merge(b)
    la = sum(e - s for s, e in ma)
    lb = sum(e - s for s, e in mb)
    inter, i, j = 0, 0, 0
    while i < len(ma) and j < len(mb):
        s, e = max(ma[i][0], mb[j][0]), min(ma[i][1], mb[j][1])
        if s < e:
            inter += e - s
        if ma[i][1] < mb[j][1]:
            i += 1
        else:
            j += 1
    union = la + lb - inter
    return 1.0 if union == 0 else inter / union


def _ts_valid(s):
    try:
        item = json.loads(s)
        st, en = item.get("start_time"), item.get("end_time")
        if st is None or en is None or st < 0 or en < 0 or st > en:
            return False
        return isinstance(st, (int, float)) and isinstance(en, (int, float))
    except Exception:
        return False


def _ts_score(answer, gt):
    if answer.startswith("```json"):
        answer = answer.replace("```json", "").replace("```", "").strip()
    if _ts_valid(answer):
        p = json.loads(answer)
        return timesearch_iou([[p.get("start_time"), p.get("end_time")]], [gt])
    return 0.0


def timesearch(text, gt, trace):
    has_a, has_t = "<answer>" in text, "<tool_call>" in text
    fmt = 0.0
    if not (has_a and has_t) and has_a:
        fmt = 1.0 if re.fullmatch(re.compile(r"<think>.*?</think>\s*<answer>.*?</answer>", re.DOTALL), text.strip()) else 0.0
    acc, cf = 0.0, 0.0
    if not (has_a and has_t):
        m = re.search(r"<answer>(.*?)</answer>", text, re.DOTALL)
        a = _ts_score(m.group(1), gt) if m else 0.0
        acc = a
        c = _ts_score(trace, gt)
        cf = (1.0 if a > 0.5 else a) * (1.0 if c > 0.5 else c)
    acc = 0.0 if acc != acc else acc
    cf = 0.0 if cf != cf else cf
    return [1.0 * fmt + 0.5 * acc + 0.5 * cf, fmt, acc, cf]


# --- Video-R1 T-GRPO (grpo_trainer.py temporal branch) over VideoChat-R1/TimeZero's IoU ----------------
def _plain_iou(text, gt):
    answers = re.findall(r"<answer>(.*?)</answer>", text, re.DOTALL)
    if not answers:
        return 0.0
    found = re.findall(r"(\d+\.?\d*) (to|and) (\d+\.?\d*)", answers[-1].strip(), re.IGNORECASE)
    if not found:
        return 0.0
    s, e = float(found[-1][0]), float(found[-1][2])
    inter = max(0, min(e, gt[1]) - max(s, gt[0]))
    union = max(e, gt[1]) - min(s, gt[0])
    if not union > 0:
        return 0.0
    return inter / union


def video_r1_group(completions, shuffled, gt):
    acc = [_plain_iou(c, gt) for c in completions]
    fmt = [1.0 if re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", c, re.DOTALL) else 0.0 for c in completions]
    if shuffled and completions and sum(acc) / len(acc) >= 0.8 * (sum(_plain_iou(c, gt) for c in shuffled) / len(shuffled)):
        acc = [a + 0.3 if a > 0.1 else a for a in acc]
    return [a + f for a, f in zip(acc, fmt)]


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
