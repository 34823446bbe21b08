/// <reference lib="dom" />
// Panel 3: the reward-hacking corpus, built in the page from the hack registry with the library's rewards
// (the same code as corpus/build.ts), filterable.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CORPUS_VARIANTS, type HackCorpusEntry, buildHackCorpus, variantReward } from '../../benchmark/corpus.js';
import { Card, Reward } from './ui.js';

const PARTS = ['format', 'refuseIoU', 'explain', 'correction', 'total'] as const;
// Every built-in variant but the two profiles, from the registry.
const VARIANTS = CORPUS_VARIANTS.map((variant) => variant.id);

/** Panel 3. `onOpen` shows an entry in panel 1. */
export function CorpusPanel(props: { onOpen: (entry: HackCorpusEntry) => void }) {
  const [entries, setEntries] = useState<HackCorpusEntry[] | null>(null);
  const [error, setError] = useState('');
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState('');
  const [attack, setAttack] = useState('');
  const [onlyDiffer, setOnlyDiffer] = useState(false);
  useEffect(() => {
    buildHackCorpus().then(setEntries, (e: unknown) => setError(String(e)));
  }, []);
  if (error !== '') return h('p', { class: 'error', role: 'alert' }, error);
  if (entries === null) return h('p', null, 'building the corpus…');
  const attacks = [...new Set(entries.flatMap((e) => e.attacks))].sort();
  const needle = query.trim().toLowerCase();
  const shown = entries.filter(
    (e) =>
      (needle === '' || `${e.id} ${e.why} ${e.completion}`.toLowerCase().includes(needle)) &&
      (kind === '' || e.targetKind === kind) &&
      (attack === '' || e.attacks.includes(attack as never)) &&
      (!onlyDiffer || Math.abs(e.rewards['ra-rft'].total - e.rewards.strict.total) > 1e-12),
  );
  return h(
    Card,
    { title: `Reward-hacking corpus: ${shown.length} of ${entries.length} entries`, id: 'corpus-card' },
    h('p', { class: 'muted' }, 'Built in this page from the hack registry (src/benchmark/hacks.ts), as corpus/reward-hacks.jsonl; explain and correction by ', h('span', { class: 'embedder', 'data-embedder': 'trigram-hash-256' }, 'trigram-hash-256'), ', as in the corpus file.'),
    h('div', { class: 'row-controls' },
      h('div', null, h('label', { for: 'corpus-search' }, 'Search id, why or completion'), h('input', { id: 'corpus-search', type: 'search', value: query, onInput: (e: Event) => setQuery((e.target as HTMLInputElement).value) })),
      h('div', null, h('label', { for: 'corpus-kind' }, 'Target kind'), h('select', { id: 'corpus-kind', value: kind, onChange: (e: Event) => setKind((e.target as HTMLSelectElement).value) }, h('option', { value: '' }, 'any'), h('option', { value: 'relevant' }, 'relevant'), h('option', { value: 'irrelevant' }, 'irrelevant'))),
      h('div', null, h('label', { for: 'corpus-attack' }, 'Attacks'), h('select', { id: 'corpus-attack', value: attack, onChange: (e: Event) => setAttack((e.target as HTMLSelectElement).value) }, h('option', { value: '' }, 'any part'), attacks.map((a) => h('option', { value: a }, a)))),
      h('label', { class: 'inline' }, h('input', { id: 'corpus-differ', type: 'checkbox', checked: onlyDiffer, onChange: (e: Event) => setOnlyDiffer((e.target as HTMLInputElement).checked) }), 'only where strict ≠ ra-rft'),
    ),
    h(
      'table',
      { 'aria-label': 'corpus rewards' },
      h('thead', null,
        h('tr', null, h('th', { rowSpan: 2 }, 'hack'), h('th', { colSpan: PARTS.length }, 'ra-rft'), h('th', { colSpan: PARTS.length }, 'strict'), h('th', { colSpan: VARIANTS.length }, 'variants (total)'), h('th', { rowSpan: 2 }, '')),
        h('tr', null, ...PARTS.map((p) => h('th', null, p)), ...PARTS.map((p) => h('th', null, p)), ...VARIANTS.map((v) => h('th', null, v))),
      ),
      h(
        'tbody',
        null,
        shown.map((e) =>
          h(
            'tr',
            { 'data-corpus-id': e.id },
            h('td', { title: e.why }, h('strong', null, e.id), h('br', null), h('span', { class: 'muted' }, `${e.targetKind} · ${e.attacks.join(', ')}`)),
            ...PARTS.map((p) => h(Reward, { hook: `ra-rft.${p}`, value: e.rewards['ra-rft'][p] })),
            ...PARTS.map((p) => h(Reward, { hook: `strict.${p}`, value: e.rewards.strict[p], highlight: Math.abs(e.rewards.strict[p] - e.rewards['ra-rft'][p]) > 1e-12 })),
            ...VARIANTS.map((v) => h(Reward, { hook: `${v}.total`, value: variantReward(e.rewards, v) })),
            h('td', null, h('button', { type: 'button', 'aria-label': `open ${e.id} in the one-completion panel`, onClick: () => props.onOpen(e) }, 'open')),
          ),
        ),
      ),
    ),
  );
}
