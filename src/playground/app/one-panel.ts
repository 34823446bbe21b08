/// <reference lib="dom" />
// Panel 1: one completion, every profile and variant, the parse view and the strict rules that fired.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type RaRftTarget, type RewardProfile, hiVtgTargets, parseRaRftSpan, parseStrictSpans, raRftTargetSchema, readTimestamps } from '../../index.js';
import { VARIANTS } from '../../variants/registry.js';
import { readBlocks } from '../blocks.js';
import { HI_VTG_EXAMPLES } from '../hi-vtg-examples.js';
import { type CaseScore, scoreCases } from '../score-case.js';
import { type PartValues, strictRulesFired } from '../strict-rule.js';
import type { ActiveEmbedder } from './embedder.js';
import { Card, Reward } from './ui.js';

const PARTS = ['format', 'refuseIoU', 'explain', 'correction', 'total'] as const;

/** The bundled examples as (label, target, default completion). */
export const EXAMPLE_TARGETS = HI_VTG_EXAMPLES.flatMap(({ source, item }) => {
  const targets = hiVtgTargets(item);
  return (['relevant', 'irrelevant'] as const).flatMap((kind) => {
    const target = targets[kind];
    return target === undefined ? [] : [{ label: `${source}, ${kind}: ${targets.queries[kind] ?? ''}`, target }];
  });
});

/** The options the panel scores with (shared with the group and corpus panels). */
export interface ScoringSettings {
  embedder: ActiveEmbedder;
  thinkPrefilled: boolean;
  stripEndTokens: boolean;
}

function TargetEditor(props: { target: RaRftTarget; onChange: (target: RaRftTarget) => void }) {
  const { target } = props;
  const [json, setJson] = useState(JSON.stringify(target, null, 1));
  const [jsonError, setJsonError] = useState('');
  useEffect(() => setJson(JSON.stringify(target, null, 1)), [target]);
  const set = (patch: Partial<RaRftTarget>) => props.onChange(clean({ ...target, ...patch }));
  const num = (value: string) => (value.trim() === '' ? undefined : Number(value));
  const span = target.span ?? [0, 0];
  return h(
    'div',
    null,
    h('label', { for: 'example' }, 'Pick a bundled HI-VTG example'),
    h(
      'select',
      {
        id: 'example',
        value: '',
        onChange: (e: Event) => {
          const chosen = EXAMPLE_TARGETS[Number((e.target as HTMLSelectElement).value)];
          if (chosen !== undefined) props.onChange(chosen.target);
        },
      },
      h('option', { value: '' }, '— choose —'),
      EXAMPLE_TARGETS.map((example, i) => h('option', { value: String(i) }, example.label)),
    ),
    h('div', { class: 'row-controls' },
      h('label', { class: 'inline' }, h('input', { id: 'target-relevant', type: 'checkbox', checked: target.relevant, onChange: (e: Event) => set({ relevant: (e.target as HTMLInputElement).checked }) }), 'relevant (the query happens in the video)'),
    ),
    h('div', { class: 'row-controls' },
      h('div', null, h('label', { for: 'target-start' }, 'span start (s)'), h('input', { id: 'target-start', type: 'number', step: 'any', value: target.span?.[0] ?? '', onChange: (e: Event) => set({ span: [num((e.target as HTMLInputElement).value) ?? 0, span[1]] }) })),
      h('div', null, h('label', { for: 'target-end' }, 'span end (s)'), h('input', { id: 'target-end', type: 'number', step: 'any', value: target.span?.[1] ?? '', onChange: (e: Event) => set({ span: [span[0], num((e.target as HTMLInputElement).value) ?? 0] }) })),
      h('div', null, h('label', { for: 'target-duration' }, 'duration (s)'), h('input', { id: 'target-duration', type: 'number', step: 'any', value: target.duration ?? '', onChange: (e: Event) => set({ duration: num((e.target as HTMLInputElement).value) }) })),
    ),
    ...(['answer', 'contrast', 'query'] as const).map((field) =>
      h('div', null, h('label', { for: `target-${field}` }, { answer: 'reference answer', contrast: 'contrasting answer', query: 'original query (for the correction)' }[field]), h('textarea', { id: `target-${field}`, rows: 2, value: target[field] ?? '', onChange: (e: Event) => set({ [field]: (e.target as HTMLTextAreaElement).value }) })),
    ),
    h('label', { for: 'target-json' }, 'Target as JSON'),
    h('textarea', {
      id: 'target-json',
      rows: 5,
      value: json,
      onInput: (e: Event) => {
        const text = (e.target as HTMLTextAreaElement).value;
        setJson(text);
        try {
          const parsed = raRftTargetSchema.safeParse(JSON.parse(text));
          if (parsed.success) {
            setJsonError('');
            props.onChange(parsed.data as RaRftTarget);
          } else setJsonError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'target'} ${issue.message}`).join('; '));
        } catch (error) {
          setJsonError((error as Error).message);
        }
      },
    }),
    jsonError === '' ? null : h('p', { class: 'error', role: 'alert' }, jsonError),
  );
}

function clean(target: RaRftTarget): RaRftTarget {
  return Object.fromEntries(Object.entries(target).filter(([, value]) => value !== undefined && value !== '')) as RaRftTarget;
}

function partValues(score: CaseScore['profiles']['ra-rft']): PartValues | null {
  return score.ok ? score.result : null;
}

function ProfileTable(props: { score: CaseScore; profile: RewardProfile }) {
  const { profiles } = props.score;
  const reference = partValues(profiles['ra-rft']);
  const strict = partValues(profiles.strict);
  return h(
    'table',
    { class: 'wide', 'aria-label': 'rewards per profile' },
    h('thead', null, h('tr', null, h('th', null, 'profile'), ...PARTS.map((part) => h('th', null, part)))),
    h(
      'tbody',
      null,
      (['ra-rft', 'strict'] as const).map((name) => {
        const score = profiles[name];
        return h(
          'tr',
          { 'aria-current': props.profile === name ? 'true' : undefined },
          h('th', { scope: 'row' }, name, props.profile === name ? ' ●' : ''),
          ...PARTS.map((part) => {
            const value = score.ok ? score.result[part] : part === 'format' || part === 'refuseIoU' ? score[part] : null;
            const differs = part !== 'total' && reference !== null && strict !== null && Math.abs(reference[part] - strict[part]) > 1e-12;
            return h(Reward, { hook: `${name}.${part}`, value, highlight: differs });
          }),
        );
      }),
    ),
  );
}

function VariantTable(props: { score: CaseScore }) {
  return h(
    'table',
    { class: 'wide', 'aria-label': 'rewards per variant' },
    h('thead', null, h('tr', null, h('th', null, 'variant'), h('th', null, 'format'), h('th', null, 'IoU'), h('th', null, 'total'))),
    h('tbody', null, props.score.variants.map((v) => h('tr', null, h('th', { scope: 'row' }, v.id), h(Reward, { hook: `${v.id}.format`, value: v.format }), h(Reward, { hook: `${v.id}.iou`, value: v.iou }), h(Reward, { hook: `${v.id}.total`, value: v.total })))),
  );
}

// Display only: where a parser's span sits in its answer block. A mark is drawn only when the numbers it
// covers are the ones the library's parser returned, so the highlight never claims a different reading.
const REFERENCE_SPAN = /(\d+\.?\d*)\s+to\s+(\d+\.?\d*)/i;
const STRICT_TIME = String.raw`(\d{1,3}(?::\d{1,2}){1,2}(?:\.\d{1,6})?|\d{1,7}(?:\.\d{1,6})?)(?:\s{0,3}(?:seconds?|secs?|s)(?![\p{L}\d]))?`;
const STRICT_SPAN = new RegExp(String.raw`${STRICT_TIME}\s{0,3}(?:to|until|till|through|and|-|–|—|~)\s{0,3}${STRICT_TIME}|[\[(]\s{0,3}${STRICT_TIME}\s{0,3},\s{0,3}${STRICT_TIME}\s{0,3}[\])]`, 'giu');

function spanMarks(blocks: ReturnType<typeof readBlocks>): { start: number; end: number; cls: string }[] {
  const marks: { start: number; end: number; cls: string }[] = [];
  const reference = blocks.reference.answer;
  if (reference !== null) {
    const match = REFERENCE_SPAN.exec(reference.content);
    const parsed = parseRaRftSpan(reference.content);
    if (match !== null && parsed !== null && Number(match[1]) === parsed[0] && Number(match[2]) === parsed[1]) {
      marks.push({ start: reference.start + match.index, end: reference.start + match.index + match[0].length, cls: 'span-ra' });
    }
  }
  const strict = blocks.strict.answer;
  if (strict !== null) {
    const matches = [...strict.content.matchAll(STRICT_SPAN)];
    if (matches.length > 0 && matches.length === parseStrictSpans(strict.content).length) {
      for (const match of matches) marks.push({ start: strict.start + match.index, end: strict.start + match.index + match[0].length, cls: 'span-strict' });
    }
  }
  return marks;
}

/** The completion with its tags coloured, the block the reference reads shaded, the strict one underlined. */
function ParseView(props: { completion: string }) {
  const text = props.completion;
  const blocks = readBlocks(text);
  const marks: { start: number; end: number; cls: string }[] = [
    ...blocks.tags.map((tag) => ({ ...tag, cls: 'tag' })),
    ...[blocks.reference.answer, blocks.reference.correction].flatMap((b) => (b === null ? [] : [{ start: b.start, end: b.end, cls: 'ref-block' }])),
    ...[blocks.strict.answer, blocks.strict.correction].flatMap((b) => (b === null ? [] : [{ start: b.start, end: b.end, cls: 'strict-block' }])),
    ...spanMarks(blocks),
  ];
  const cuts = [...new Set([0, text.length, ...marks.flatMap((m) => [m.start, m.end])])].sort((a, b) => a - b);
  const pieces = cuts.slice(0, -1).map((start, i) => {
    const end = cuts[i + 1] as number;
    const cls = marks.filter((m) => m.start <= start && m.end >= end).map((m) => m.cls).join(' ');
    return h('span', { class: cls || undefined }, text.slice(start, end));
  });
  const refAnswer = blocks.reference.answer?.content ?? null;
  const strictAnswer = blocks.strict.answer?.content ?? null;
  const show = (span: readonly number[] | null | undefined) => (span === null || span === undefined ? 'none' : `[${span.join(', ')}]`);
  const rows: [string, string, string][] = [
    ['ra-rft', refAnswer === null ? 'no <answer> block' : `last <answer>: "${refAnswer}"`, show(refAnswer === null ? null : parseRaRftSpan(refAnswer))],
    ['strict', strictAnswer === null ? 'no single <answer> after </think>' : `the <answer>: "${strictAnswer}"`, strictAnswer === null ? 'none' : parseStrictSpans(strictAnswer, 3).map((s) => show(s)).join(' ') || 'none'],
    // Every other variant from the registry: the spans it scores, in its own reading (src/variants/).
    ...VARIANTS.filter((variant) => variant.id !== 'ra-rft' && variant.id !== 'strict').map((variant): [string, string, string] => [variant.id, variant.parser, variant.readSpans(text).map((s) => show(s)).join(' ') || 'none']),
    ['readTimestamps', 'any notation, the whole text (the library\'s lenient reader)', readTimestamps(text).map((s) => show(s)).join(' ') || 'none'],
  ];
  return h(
    'div',
    null,
    h('pre', { class: 'parse', 'aria-label': 'completion with the tags and the blocks each profile reads' }, pieces),
    h('p', { class: 'muted' }, h('span', { class: 'tag' }, '<tag>'), ' tags · ', h('span', { class: 'ref-block' }, 'shaded'), ': the block ra-rft reads · ', h('span', { class: 'strict-block' }, 'underlined'), ': the block strict reads · ', h('span', { class: 'span-ra' }, 'boxed'), ': the span ra-rft read · ', h('span', { class: 'span-strict' }, 'green'), ': the spans strict read'),
    h('table', { 'aria-label': 'what each parser read' }, h('thead', null, h('tr', null, h('th', null, 'parser'), h('th', { class: 'text' }, 'reads'), h('th', null, 'span'))), h('tbody', null, rows.map(([parser, reads, span]) => h('tr', null, h('th', { scope: 'row' }, parser), h('td', { class: 'text' }, reads), h('td', { 'data-span': parser }, span))))),
  );
}

function StrictRules(props: { completion: string; target: RaRftTarget; score: CaseScore; thinkPrefilled: boolean }) {
  const reference = partValues(props.score.profiles['ra-rft']);
  const strict = partValues(props.score.profiles.strict);
  if (reference === null || strict === null) return null;
  const rules = strictRulesFired(props.completion, props.target, reference, strict);
  const prefilled = !props.thinkPrefilled && props.completion.includes('</think>') && !props.completion.includes('<think>');
  return h(
    'div',
    null,
    rules.length === 0 ? h('p', { 'data-strict-rules': 'none' }, 'strict and ra-rft agree on every part.') : h('ul', { class: 'rules' }, rules.map((rule) => h('li', { 'data-strict-rule': String(rule.rule), 'data-part': rule.part }, h('strong', null, `${rule.part}: rule ${rule.rule} ${rule.id}, ${rule.name}`), ` — ${rule.detail}`))),
    prefilled ? h('p', { class: 'warn', 'data-strict-rule': '9' }, 'rule 9 prefilled-think, prefilled <think>: this completion closes </think> without opening it; tick “think prefilled” if the chat template opened it.') : null,
    h('p', { class: 'muted' }, 'Rule numbers and names as in docs/strict.md.'),
  );
}

/** Panel 1. */
export function OnePanel(props: {
  completion: string;
  target: RaRftTarget;
  profile: RewardProfile;
  settings: ScoringSettings;
  prepare: (completion: string) => string;
  onCompletion: (completion: string) => void;
  onTarget: (target: RaRftTarget) => void;
}) {
  const [scoreState, setScoreState] = useState<{ score: CaseScore; embedder: string; completion: string; target: RaRftTarget } | null>(null);
  const [pending, setPending] = useState(true);
  const [error, setError] = useState('');
  const scored = props.prepare(props.completion);
  useEffect(() => {
    let live = true;
    setPending(true);
    const { embedder, name } = props.settings.embedder;
    const target = props.target;
    scoreCases([scored], [target], { embedder, thinkPrefilled: props.settings.thinkPrefilled }).then(
      ([result]) => {
        if (!live || result === undefined) return;
        setScoreState({ score: result, embedder: name, completion: scored, target });
        setError('');
        setPending(false);
      },
      (e: unknown) => live && (setError(e instanceof Error ? e.message : String(e)), setPending(false)),
    );
    return () => {
      live = false;
    };
  }, [scored, props.target, props.settings]);
  const score = scoreState?.score ?? null;
  const failed = score === null ? null : [score.profiles['ra-rft'], score.profiles.strict].find((p) => !p.ok);
  return h(
    'div',
    { class: 'grid' },
    h(
      'div',
      null,
      h(Card, { title: 'Completion', id: 'completion-card' },
        h('label', { for: 'completion' }, 'Completion (the policy’s output)'),
        h('textarea', { id: 'completion', rows: 8, value: props.completion, onInput: (e: Event) => props.onCompletion((e.target as HTMLTextAreaElement).value) }),
      ),
      h(Card, { title: 'Target', id: 'target-card' }, h(TargetEditor, { target: props.target, onChange: props.onTarget })),
    ),
    h(
      'div',
      { 'aria-live': 'polite' },
      h(Card, { title: 'Rewards', id: 'rewards-card' },
        scoreState === null ? null : h('p', { class: 'muted' }, 'explain and correction by ', h('span', { class: 'embedder', 'data-embedder': scoreState.embedder }, scoreState.embedder)),
        pending && scoreState !== null ? h('p', { class: 'muted', 'data-pending': 'true' }, `updating with ${props.settings.embedder.name}…`) : null,
        error !== '' ? h('p', { class: 'error', role: 'alert' }, error) : null,
        failed !== undefined && failed !== null && !failed.ok ? h('p', { class: 'error', role: 'alert' }, failed.error) : null,
        score === null ? h('p', null, 'scoring…') : h('div', null, h(ProfileTable, { score, profile: props.profile }), h('h4', null, 'Variants (format + span part)'), h(VariantTable, { score })),
      ),
      scoreState === null ? null : h(Card, { title: 'Where strict and ra-rft differ', id: 'strict-card' }, h(StrictRules, { completion: scoreState.completion, target: scoreState.target, score: scoreState.score, thinkPrefilled: props.settings.thinkPrefilled })),
      h(Card, { title: 'Parse view', id: 'parse-card' }, h(ParseView, { completion: scored })),
    ),
  );
}
