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
