/// <reference lib="dom" />
// Panel 2: G completions for one target, their rewards and the group-relative advantages per convention.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { RaRftTarget, RewardProfile } from '../../index.js';
import { ADVANTAGE_CONVENTIONS, groupAdvantages } from '../advantages.js';
import { type CaseScore, scoreCases } from '../score-case.js';
import type { ScoringSettings } from './one-panel.js';
import { Card, Reward } from './ui.js';

/** A starting group for `target`: the genuine answer, a near miss, the opposite kind, an empty answer. */
export function starterGroup(target: RaRftTarget): string[] {
  const think = '<think>I compare the query with what happens in the video.</think>';
  const [s, e] = target.span ?? [1, 3];
  const refusal = (target.relevant ? target.contrast : target.answer)?.replace(/<\/?answer>/g, '') ?? 'The video never shows this event happening.';
  const correction = target.relevant ? 'NIL' : (target.query ?? 'NIL');
  return [
    `${think}<answer>${target.relevant ? `${s} to ${e}` : refusal}</answer><correction>${correction}</correction>`,
    `${think}<answer>${target.relevant ? `${s + 1} to ${e + 2}` : 'No.'}</answer><correction>${correction}</correction>`,
    `${think}<answer>${target.relevant ? refusal : `${s} to ${e}`}</answer><correction>NIL</correction>`,
    `${think}<answer></answer><correction></correction>`,
  ];
}

function total(score: CaseScore, profile: RewardProfile): number {
  const p = score.profiles[profile];
  return p.ok ? p.result.total : Number.NaN;
}

/** Panel 2. */
export function GroupPanel(props: { target: RaRftTarget; profile: RewardProfile; settings: ScoringSettings; prepare: (completion: string) => string }) {
  const [completions, setCompletions] = useState(() => starterGroup(props.target));
  const [scored, setScored] = useState<{ scores: CaseScore[]; embedder: string } | null>(null);
  useEffect(() => {
    let live = true;
    const { embedder, name } = props.settings.embedder;
    scoreCases(completions.map(props.prepare), completions.map(() => props.target), { embedder, thinkPrefilled: props.settings.thinkPrefilled }).then((scores) => live && setScored({ scores, embedder: name }));
    return () => {
      live = false;
    };
  }, [completions, props.target, props.settings]);
  const scores = scored !== null && scored.scores.length === completions.length ? scored.scores : null;
  const rewards = scores?.map((score) => total(score, props.profile)) ?? [];
  const usable = rewards.length > 0 && rewards.every(Number.isFinite);
  const { advantages, zeroVariance } = usable ? groupAdvantages(rewards) : { advantages: null, zeroVariance: false };
  const edit = (i: number, text: string) => setCompletions(completions.map((c, j) => (j === i ? text : c)));
  return h(
    'div',
    null,
    h(Card, { title: `A group of G = ${completions.length} completions for the current target`, id: 'group-card' },
      h('p', { class: 'muted' }, 'Rewards: the ', h('strong', null, props.profile), ' total (choose the profile at the top); explain and correction by ', h('span', { class: 'embedder', 'data-embedder': scored?.embedder ?? '' }, scored?.embedder ?? '…'), '.'),
      zeroVariance ? h('p', { class: 'warn', role: 'alert', 'data-zero-variance': 'true' }, 'Zero reward variance: every completion earns the same reward, so every advantage is 0 and this prompt teaches the policy nothing.') : null,
      h('div', { class: 'row-controls' },
        h('button', { type: 'button', id: 'group-add', onClick: () => setCompletions([...completions, completions[completions.length - 1] ?? '']) }, 'Add a completion'),
        h('button', { type: 'button', id: 'group-reset', onClick: () => setCompletions(starterGroup(props.target)) }, 'Reset to the starter group'),
        h('button', { type: 'button', id: 'group-same', onClick: () => setCompletions(completions.map(() => completions[0] ?? '')) }, 'Make all equal to #1'),
      ),
      h(
        'table',
        { 'aria-label': 'group rewards and advantages' },
        h('thead', null, h('tr', null, h('th', null, '#'), h('th', { class: 'text' }, 'completion'), h('th', null, 'ra-rft total'), h('th', null, 'strict total'), ...ADVANTAGE_CONVENTIONS.map((c) => h('th', null, `A ${c.label}`)), h('th', null, ''))),
        h(
          'tbody',
          null,
          completions.map((completion, i) => {
            const score = scores?.[i];
            return h(
              'tr',
              { 'data-row': String(i) },
              h('td', null, String(i + 1)),
              h('td', { class: 'text' }, h('label', { class: 'sr-only', for: `group-${i}` }, `completion ${i + 1}`), h('textarea', { id: `group-${i}`, rows: 3, value: completion, onInput: (e: Event) => edit(i, (e.target as HTMLTextAreaElement).value) })),
              h(Reward, { hook: 'ra-rft.total', value: score === undefined ? null : total(score, 'ra-rft') }),
              h(Reward, { hook: 'strict.total', value: score === undefined ? null : total(score, 'strict') }),
              ...ADVANTAGE_CONVENTIONS.map((c) => (advantages === null ? h('td', null, '—') : h('td', { title: String(advantages[c.id][i]) }, h('span', { class: 'num', 'data-advantage': c.id }, String(advantages[c.id][i]))))),
              h('td', null, completions.length > 1 ? h('button', { type: 'button', 'aria-label': `remove completion ${i + 1}`, onClick: () => setCompletions(completions.filter((_, j) => j !== i)) }, '✕') : null),
            );
          }),
        ),
      ),
      h('p', { class: 'muted' }, 'Advantages from groupRelativeAdvantage: TRL divides by the unbiased σ + 1e-4, verl by σ + 1e-6, Dr. GRPO subtracts the mean only, RLOO subtracts the mean of the other completions.'),
    ),
  );
}
