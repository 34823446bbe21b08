import { describe, expect, it } from 'vitest';
import { parseEvaluationInput, parseEvaluationRecord } from './inputs.js';

const inference = {
  video: 'v.mp4',
  query: 'a man opens the door.',
  model_output: '<answer>1 to 2</answer>',
  gt_relevant: true,
  gt_timestamp: [1, 3],
  gt_output: '<answer>1.0 to 3.0</answer>',
  irrelevance_level: '',
  gt_categories: [],
};

describe('parseEvaluationRecord', () => {
  it('reads an RA-RFT inference result; hardness_level wins over irrelevance_level; empty levels are none', () => {
    expect(parseEvaluationRecord(inference)).toEqual({
      ok: true,
      kind: 'inference-results',
      items: [{ completion: '<answer>1 to 2</answer>', target: { relevant: true, span: [1, 3], answer: '<answer>1.0 to 3.0</answer>' }, categories: [], id: { video: 'v.mp4', query: 'a man opens the door.' } }],
    });
    const refusable = { ...inference, gt_relevant: false, gt_timestamp: null, hardness_level: 'strong', irrelevance_level: 'hard', gt_categories: ['Object/ObjectExistence'] };
    const parsed = parseEvaluationRecord(refusable);
    expect(parsed.ok && parsed.items[0]).toMatchObject({ target: { relevant: false }, hardness: 'strong', categories: ['Object/ObjectExistence'] });
    const levelOnly = parseEvaluationRecord({ ...refusable, hardness_level: undefined });
    expect(levelOnly.ok && levelOnly.items[0]?.hardness).toBe('hard');
    // A null model output (a failed generation) is an empty output, not a bad record.
    const empty = parseEvaluationRecord({ ...inference, model_output: null });
    expect(empty.ok && empty.items[0]?.completion).toBe('');
  });

  it('names the bad fields', () => {
    expect(parseEvaluationRecord({ ...inference, gt_timestamp: null })).toEqual({ ok: false, error: 'gt_timestamp: must be [start, end] when gt_relevant is true' });
    expect(parseEvaluationRecord({ ...inference, gt_timestamp: [3, 1] })).toEqual({ ok: false, error: 'gt_timestamp: end must be >= start' });
    expect(parseEvaluationRecord({ ...inference, gt_categories: 'Object' })).toMatchObject({ ok: false, error: expect.stringMatching(/^gt_categories: /) });
    expect(parseEvaluationRecord([1])).toEqual({ ok: false, error: '(root): expected a JSON object' });
    expect(parseEvaluationRecord({ foo: 1 })).toMatchObject({ ok: false, error: expect.stringMatching(/^\(root\): expected an inference result/) });
  });

  it('reads {completion, target} lines with optional hardness and categories', () => {
    const parsed = parseEvaluationRecord({ completion: 'c', target: { relevant: false, answer: 'No.' }, hardness: 'hard', categories: ['Attribute/Counting'], id: 7 });
    expect(parsed).toEqual({ ok: true, kind: 'completion', items: [{ completion: 'c', target: { relevant: false, answer: 'No.' }, hardness: 'hard', categories: ['Attribute/Counting'], id: 7 }] });
    expect(parseEvaluationRecord({ completion: 'c', target: { relevant: true } })).toEqual({ ok: false, error: 'target.span: is required when relevant is true' });
  });

  const hiVtg = {
    video: 'v.mp4',
    query_text: 'q',
    timestamp: [2, 4],
    duration: 10,
    GRPO: [
      { q: ' person opens the door. ', a: '<answer>2 to 4</answer>', r: true, difficulty: 'original' },
      { q: 'person closes the door.', a: '<answer>No closing happens.</answer>', r: false, c: ['Action/FineGrainedAction'], difficulty: 'hard' },
      { q: 'person closes the window.', a: '<answer>No window.</answer>', r: false, c: ['Object/ObjectExistence'], difficulty: 'easy' },
    ],
  };

  it('reads HI-VTG items with one completion per GRPO entry (null skips one)', () => {
    const parsed = parseEvaluationRecord({ ...hiVtg, completions: ['<answer>2 to 4</answer>', null, '<answer>No.</answer>'] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.items).toEqual([
      { completion: '<answer>2 to 4</answer>', target: { relevant: true, span: [2, 4], duration: 10, answer: '<answer>2 to 4</answer>' }, id: { video: 'v.mp4', query: 'person opens the door.', entry: 0 }, hardness: 'original' },
      { completion: '<answer>No.</answer>', target: { relevant: false, answer: '<answer>No window.</answer>', duration: 10 }, id: { video: 'v.mp4', query: 'person closes the window.', entry: 2 }, hardness: 'easy', categories: ['Object/ObjectExistence'] },
    ]);
    expect(parseEvaluationRecord({ ...hiVtg, completions: ['a'] })).toEqual({ ok: false, error: 'completions: has 1 entries but GRPO has 3 (one completion per entry, null to skip one)' });
  });

  it('reads HI-VTG items with {relevant, irrelevant} completions as the score input does', () => {
    const parsed = parseEvaluationRecord({ ...hiVtg, completions: { relevant: ['a', 'b'], irrelevant: ['c'] } });
    expect(parsed.ok && parsed.items.map((item) => [item.completion, item.target.relevant, item.hardness])).toEqual([
      ['a', true, 'original'],
      ['b', true, 'original'],
      ['c', false, 'hard'],
    ]);
    expect(parseEvaluationRecord({ ...hiVtg, GRPO: [hiVtg.GRPO[1]], completions: { relevant: ['a'] } })).toEqual({ ok: false, error: 'completions.relevant: given but the item has no relevant GRPO entry' });
  });
});

describe('parseEvaluationInput', () => {
  it('reads a JSON array and names each bad item by its index', () => {
    const text = JSON.stringify([inference, { ...inference, gt_relevant: 'yes' }, inference]);
    const parsed = parseEvaluationInput(text);
    expect(parsed).toMatchObject({ format: 'json', kinds: ['inference-results'], records: 3 });
    expect(parsed.items).toHaveLength(2);
    expect(parsed.errors).toEqual([{ where: 'item 1', error: 'gt_relevant: Invalid input: expected boolean, received string' }]);
  });

  it('reads JSONL and names each bad line by its number; blank lines are skipped', () => {
    const line = JSON.stringify({ completion: 'c', target: { relevant: false } });
    const parsed = parseEvaluationInput(`${line}\n\n{oops\n${JSON.stringify(inference)}\n`);
    expect(parsed).toMatchObject({ format: 'jsonl', kinds: ['completion', 'inference-results'], records: 3 });
    expect(parsed.items).toHaveLength(2);
    expect(parsed.errors).toEqual([{ where: 'line 3', error: expect.stringMatching(/^invalid JSON/) }]);
  });

  it('a broken JSON array is one error for the whole file', () => {
    expect(parseEvaluationInput('[{"a": 1},').errors).toEqual([{ where: 'file', error: expect.stringMatching(/^invalid JSON/) }]);
  });
});
