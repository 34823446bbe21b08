// Differential tests against Python itself: Python's str.strip, float, re (`\d`, `\s`, `\b`) and
// json.loads, and the upstream reward functions restated in test/oracles/vtg_oracle.py, on seeded random
// inputs built from the characters that matter. One python3 process per batch.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  musegFormatReward,
  musegSegmentMatching,
  parseTempSampSpan,
  parseTimeLensSpans,
  parseTimeLensTrainingSpans,
  parseTvgR1Span,
  plainIoU,
  temporalR1IoU,
  isTemporalR1Format,
  tempSampReward,
  timeLensEvalIoU,
  timeLensIoU,
  openO3VideoReward,
  taroReward,
  timeSearchIoU,
  timeSearchReward,
  videoR1TGrpoRewards,
} from '../src/index.js';
import { pyFloat } from '../src/internal/python-float.js';
import { pyStrip } from '../src/internal/python-text.js';
import { repoRoot } from './helpers/shared.js';

type Result = { v: unknown } | { e: string };

function python(calls: [string, unknown[]][]): Result[] {
  const out = execFileSync('python3', [join(repoRoot, 'test/oracles/vtg_oracle.py')], { input: JSON.stringify(calls), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out) as Result[];
}

/** A Python result as the library states it: exceptions are `null`, floats come as repr strings. */
function decode(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'f' in value) {
    const repr = (value as { f: string }).f;
    return repr === 'nan' ? Number.NaN : repr === 'inf' ? Infinity : repr === '-inf' ? -Infinity : Number(repr);
  }
  if (Array.isArray(value)) return value.map(decode);
  return value;
}

/**
 * Our function equals Python's on every input; `ulps`: numbers may differ by that relative amount (for
 * math.exp/math.log, whose last bit differs between C libraries), else they must be identical.
 */
function expectSame(name: string, inputs: unknown[][], ours: (...args: never[]) => unknown, map: (python: unknown) => unknown = (x) => x, tolerance = 0): void {
  const results = python(inputs.map((args) => [name, args]));
  inputs.forEach((args, i) => {
    const result = results[i] as Result;
    const want = 'e' in result ? map(null) : map(decode(result.v));
    const got = ours(...(args as never[]));
    const label = `${name}(${JSON.stringify(args)})`;
    if (tolerance > 0 && typeof want === 'number' && typeof got === 'number') expect(Math.abs(got - want), label).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want)));
    else expect(got, label).toEqual(want);
  });
}

const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number): T[] => fc.sample(arbitrary, { numRuns: count, seed });
const join$ = (pieces: readonly string[], max: number) => fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((parts) => parts.join(''));

// Characters where Python and JS disagree: the whitespace sets, Unicode digits, word characters for `\b`.
const SPACES = [' ', '\t', '\n', '\x1c', '\x1f', '\x85', '\u3000', '\ufeff', '\xa0', '\u200b'];
const DIGITS = ['0', '1', '5', '9', '٣', '１', '𝟓', '²'];

describe('Python facts the parsers restate', () => {
  it('str.strip(): removes U+001C–U+001F and U+0085, keeps U+FEFF', () => {
    expectSame('py_strip', sample(join$([...SPACES, 'a', '1'], 8), 400, 1).map((s) => [s]), pyStrip);
  });

  it("float(): Unicode digits and spaces, underscores, inf/nan; U+001C and U+FEFF rejected", () => {
    const pieces = [...SPACES, ...DIGITS, '.', '_', 'e', 'E', '+', '-', 'inf', 'nan', 'Infinity', 'x'];
    expectSame('py_float', sample(join$(pieces, 7), 1500, 2).map((s) => [s]), pyFloat);
    expectSame('py_float', [['\x1c5'], ['\ufeff5'], ['\x855'], ['١٢.٥'], ['1_0'], ['1__0'], ['e5'], ['1.e1'], ['.e1'], ['-iNF'], ['+nan']].map((a) => a), pyFloat);
  });
});

describe('TVG-R1 <time> parser equals Python (strip, json.loads, unpacking, float)', () => {
  it('on random JSON-ish payloads, dict key order included', () => {
    const pieces = ['[', ']', '{', '}', '"', ',', ':', '1', '2', '5.5', '10', '-', 'e3', 'NaN', 'Infinity', 'null', 'true', ' ', '\x1c', '\ufeff', '\x85', '٣'];
    const inputs = sample(join$(pieces, 10), 3000, 3).map((body) => [`<think>t</think> <time>${body}</time>`]);
    inputs.push(['<time>{"10": 1, "5": 2}</time>'], ['<time>{"b": 0, "2": 0, "1": 0}</time>'], ['<time>{"2": 0, "1": 0}</time>'], ['<time>\x1c[1, 2]\x1f</time>'], ['<time>\ufeff[1, 2]</time>'], ['<time>"12"</time>'], [`<time>[1${'0'.repeat(400)}, 2]</time>`]);
    expectSame('tvg_r1_span', inputs, parseTvgR1Span);
  });
});

describe('TimeLens parsers equal Python re (Unicode \\d and \\b)', () => {
  const pieces = ['1', '2', '3', '12', '7.5', ':', ':05', '-', ' - ', ' to ', 'to', 'TO', ' ', '.', 'é', '秒', '到', 'a', '_', '٣', 's', ' and '];
  const texts = [...sample(join$(pieces, 12), 3000, 4), '3秒到7秒', 'é3 to 5é', '3 to 5', '12:30 to 12:45', '١٢:٣٠ - ١٢:٤٥', 'from 3 to 5, then 7 - 9', 'tomato 3 5'];
  it('extract_time (evaluation)', () => expectSame('timelens_eval_spans', texts.map((t) => [t]), parseTimeLensSpans));
  it('extract_time (GRPO copy, to → -)', () => expectSame('timelens_train_spans', texts.map((t) => [t]), parseTimeLensTrainingSpans));

  it('tiou reward and evaluation IoU', () => {
    const wrap = ['', '<think>', '</think>', '<answer>', '</answer>', ' '];
    const completions = sample(fc.tuple(join$(wrap, 3), join$(pieces, 8), join$(wrap, 3), join$(pieces, 6)).map((p) => p.join('')), 1500, 5);
    completions.push('<think>a</think> <answer>3 to 5</answer>', '<think>a</think><answer>5 - 3</answer>', '3 - 3');
    const gold: [number, number] = [3, 7];
    const target = { relevant: true, span: gold, duration: 30 } as const;
    expectSame('timelens_train_iou', completions.map((c) => [c, gold]), (c: string) => timeLensIoU(c, target), (v) => v ?? 0);
    expectSame('timelens_eval_iou', completions.map((c) => [c, gold]), (c: string) => timeLensEvalIoU(c, target), (v) => v ?? 0);
  });
});

describe('MUSEG rewards equal the restated src/train.py', () => {
  const pieces = ['<think>', '</think>', '<answer>', '</answer>', ' ', '\n', '1.5', '3', '3.0', '10', '-', '--', '1e1', 'nan', 'inf', '+2', 'x', '.', '٣'];
  const completions = [
    ...sample(join$(pieces, 12), 3000, 6),
    ...sample(fc.tuple(join$(['1.5', '3.0', '3', '10.0', 'x', ' ', '.', 'e', '1'], 12), join$(['1.5-3', '3-10', '10-12.5', '2.5-1', ' ', '0-0', '1e1-2e1', '3.0-1e16'], 4)).map(([think, answer]) => `<think>${think}</think><answer>${answer}</answer>`), 1500, 7),
    '<think>see 3.1 and 10.9</think><answer>3.1-10.9</answer>',
    '<think>1e+16 and 1.0</think><answer>1-1e16</answer>',
  ];
  it('format (timestamps in <think>, their repr used as a regex)', () => expectSame('museg_format', completions.map((c) => [c]), musegFormatReward));
  it('segment matching (global F1 + local GIoU)', () => {
    const target = { relevant: true, span: [1.5, 10] as [number, number], duration: 30 };
    expectSame('museg_segment', completions.map((c) => [c, [target.span]]), (c: string) => musegSegmentMatching(c, target), (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0));
  });
});

describe('Temporal-R1 rewards equal the restated tvg.py', () => {
  const pieces = ['<think>', '</think>', '<answer>', '</answer>', '{', '}', '"start_time"', '"end_time"', ':', ',', ' ', '"3.1"', '"10.9"', '3.1', '"٣"', '"1.2.3"', '""', '"x"', '\n'];
  const completions = [...sample(join$(pieces, 14), 4000, 8), '<think>ok</think> <answer>{"start_time": "3.1", "end_time": "10.9"}</answer>', '<think>ok</think><answer> { "start_time" : "4" , "end_time" : "9" } </answer>'];
  it('format', () => expectSame('temporal_r1_format', completions.map((c) => [c]), (c: string) => (isTemporalR1Format(c) ? 1 : 0)));
  it('accuracy', () => {
    const target = { relevant: true, span: [3.1, 10.9] as [number, number], duration: 30.04 };
    expectSame('temporal_r1_iou', completions.map((c) => [c, target.span, target.duration]), (c: string) => temporalR1IoU(c, target));
  });
});

describe('TempSamp-R1 reward equals the restated timelens_reward.py', () => {
  const pieces = ['<answer>', '</answer>', '1', '7.5', '12', ' ', 'to', 'and', 'To', '-', '.', 'x', '٣', '_', 'é'];
  const completions = [...sample(join$(pieces, 12), 3000, 9), '', '<answer> 3.1 to 10.9 </answer>'];
  it('parser', () => expectSame('tempsamp_span', completions.map((c) => [c]), parseTempSampSpan));
  it('shaped reward', () => {
    const target = { relevant: true, span: [3.1, 10.9] as [number, number], duration: 30 };
    expectSame('tempsamp_reward', completions.map((c) => [c, target.span]), (c: string) => tempSampReward(c, target), (x) => x, 1e-14);
  });
});

describe('plainIoU with emptyUnionScore: 1 equals VideoChat-R1 grpo_tg.py', () => {
  it('on zero-length and reversed spans', () => {
    const spans = ['3 to 3', '4 to 3', '3 to 4', '2 to 3', '3 and 3', '5 to 1'];
    const golds: [number, number][] = [[3, 3], [2, 4], [0, 3]];
    const inputs = golds.flatMap((gold) => spans.map((span) => [`<answer>${span}</answer>`, gold]));
    expectSame('videochat_tg_iou', inputs, (c: string, gold: [number, number]) => plainIoU(c, { relevant: true, span: gold, duration: 9 }, { emptyUnionScore: 1 }));
  });
});

describe('the new variants equal their restated upstream functions (≥ 1,000 seeded cases each)', () => {
  const gold: [number, number] = [8.2, 13.6];
  const target = { relevant: true, span: gold, duration: 16.75 } as const;

  it('TaRO compute_vtg_score (train and eval, with and without diff_log_prob)', () => {
    const pieces = ['<think>', '</think>', '<answer>', '</answer>', ' ', '\n', '8.2s', '13.6s', '9S', 's', '3', '.', ' to ', ' and ', ' AND ', ' tO ', '20s', 'ſ', '٣s', 'x'];
    const texts = sample(join$(pieces, 12), 1200, 21);
    const inputs = texts.map((text, i) => [text, gold, 16.75, i % 3 === 0 ? 'eval' : 'train', i % 2 === 0 ? null : (i % 5) / 5, 0.4]);
    expectSame(
      'taro_reward',
      inputs,
      (text: string, _g: unknown, _d: unknown, split: 'train' | 'eval', diff: number | null, thresh: number) => {
        const r = taroReward(text, target, { split, ...(diff === null ? {} : { diffLogProb: diff, diffLogProbThresh: thresh }) });
        return [r.score, r.format, r.iouScore, r.temporal, r.iou];
      },
    );
  });

  it('Open-o3 Video: format, answer tIoU, thinking segment share, key-frame point score', () => {
    const pieces = ['<think>', '</think>', '<answer>', '</answer>', '<t>', '</t>', 's', ' to ', '8.2', '13.6', '9', '1.2.3', '.', ' ', '<obj>', '</box>', '٣', 'x'];
    const texts = sample(join$(pieces, 14), 1200, 22);
    const inputs = texts.map((text, i) => [text, gold, i % 2 === 0 ? null : [9, 15.5], (i % 10) / 10]);
    expectSame(
      'open_o3',
      inputs,
      (text: string, _g: unknown, keyFrames: number[] | null, step: number) => {
        const r = openO3VideoReward(text, target, keyFrames === null ? {} : { keyFrames, stepPercent: step });
        return [r.total, r.format, r.answerTIoU, r.thinkSegment, r.keyFramePoint];
      },
      (x) => x,
    );
  });

  it('TimeSearch-R v7: format, merged-interval IoU, counterfactual', () => {
    const bodies = ['{"start_time": 8.2, "end_time": 13.6}', '{"start_time": 9, "end_time": 12}', '{"start_time": "8", "end_time": 9}', '{"start_time": 5, "end_time": 1}', '[1, 2]', '{"end_time": 3}', '{"start_time": NaN, "end_time": 9}', '{"start_time": 0, "end_time": Infinity}', '```json\n{"start_time": 8, "end_time": 14}\n```', 'x', '{"start_time": true, "end_time": 10}'];
    const wrap = ['<think>', '</think>', '<answer>', '</answer>', '<tool_call>', ' ', '\n', 'a'];
    const texts = sample(fc.tuple(join$(wrap, 4), fc.constantFrom(...bodies), join$(wrap, 3)).map(([a, b, c]) => `${a}${b}${c}`), 1200, 23);
    const traces = ["I don't know", ...bodies];
    const inputs = texts.map((text, i) => [text, gold, traces[i % traces.length] as string]);
    expectSame('timesearch', inputs, (text: string, _g: unknown, trace: string) => {
      const r = timeSearchReward(text, target, { visualTraceAnswer: trace });
      return [r.total, r.format, r.accuracy, r.counterfactual];
    });
    const interval = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 20 })).map(([s, l]) => [s / 2, (s + l) / 2] as [number, number]);
    const sets = sample(fc.tuple(fc.array(interval, { minLength: 0, maxLength: 4 }), fc.array(interval, { minLength: 0, maxLength: 4 })), 1000, 24);
    expectSame('timesearch_iou', sets.map(([a, b]) => [a, b]), timeSearchIoU);
  });

  it('Video-R1 T-GRPO over a group (ordered vs shuffled frames)', () => {
    const answers = ['8.2 to 13.6', '9 to 12', '0 to 1', '8 and 14', '', 'no'];
    const completion = fc.tuple(fc.constantFrom('<think>a</think>', '', ' <think>a</think>'), fc.constantFrom(...answers), fc.constantFrom('', ' ', '\n')).map(([t, a, tail]) => `${t}<answer>${a}</answer>${tail}`);
    const groups = sample(fc.tuple(fc.array(completion, { minLength: 1, maxLength: 8 }), fc.array(completion, { maxLength: 4 })), 1000, 25);
    expectSame('video_r1_group', groups.map(([g, s]) => [g, s, gold]), (group: string[], shuffled: string[]) => videoR1TGrpoRewards(group, target, { shuffledCompletions: shuffled }));
  });
});
