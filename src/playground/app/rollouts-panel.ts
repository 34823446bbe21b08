/// <reference lib="dom" />
// Panel 4: a rollouts JSONL file, read and scored in a Web Worker that streams it (File.stream()), so a
// 100 MB file never blocks this thread; distributions per part as Vega-Lite plots, groups, best and worst.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RewardProfile } from '../../index.js';
import { ROLLOUT_PARTS, type RankedRollout, type RolloutSummary } from '../rollouts.js';
import type { RolloutMessage, RolloutRequest } from '../worker/rollouts-worker.js';
import { Card, Reward } from './ui.js';

type Progress = Extract<RolloutMessage, { type: 'progress' }>;
type Done = Extract<RolloutMessage, { type: 'done' }>;

function Charts(props: { summary: RolloutSummary }) {
  const [svgs, setSvgs] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    (async () => {
      const { histogramSvg } = (await import(new URL('./charts.js', import.meta.url).href)) as typeof import('../lazy/charts.js');
      const out: Record<string, string> = {};
      for (const part of ROLLOUT_PARTS) out[part] = await histogramSvg(part, props.summary.histograms.filter((bin) => bin.part === part));
      if (live) setSvgs(out);
    })().catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
    };
  }, [props.summary]);
  if (error !== '') return h('p', { class: 'error', role: 'alert' }, error);
  return h('div', { class: 'charts' }, ROLLOUT_PARTS.map((part) => h('figure', { class: 'chart', 'data-chart': part, 'aria-label': `distribution of ${part}`, dangerouslySetInnerHTML: { __html: svgs[part] ?? '' } })));
}

function Ranked(props: { title: string; list: RankedRollout[]; profile: RewardProfile; id: string }) {
  return h(
    'div',
    null,
    h('h4', null, props.title),
    h('table', { 'aria-label': props.title, id: props.id }, h('thead', null, h('tr', null, h('th', null, 'total'), h('th', { class: 'text' }, 'where'), h('th', { class: 'text' }, 'completion'))),
      h('tbody', null, props.list.map((r) => h('tr', null, h(Reward, { hook: `${props.profile}.total`, value: r.total }), h('td', { class: 'text' }, `${r.label}\n${r.group.slice(0, 80)}`), h('td', { class: 'text' }, r.completion ?? '(scores only)'))))),
  );
}

/** Panel 4. */
export function RolloutsPanel(props: { profile: RewardProfile; stripEndTokens: boolean }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  // The profile the shown numbers were scored with (the selector may change after the load).
  const [scoredProfile, setScoredProfile] = useState<RewardProfile>(props.profile);
  const [error, setError] = useState('');
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  const load = (file: File) => {
    worker.current?.terminate();
    setDone(null);
    setError('');
    setProgress({ type: 'progress', bytes: 0, total: file.size, rows: 0, errors: 0 });
    setScoredProfile(props.profile);
    const next = new Worker(new URL('./rollouts-worker.js', import.meta.url), { type: 'module' });
    worker.current = next;
    next.onmessage = (event: MessageEvent<RolloutMessage>) => {
      const message = event.data;
      if (message.type === 'progress') setProgress(message);
      else if (message.type === 'done') {
        setDone(message);
        setProgress(null);
        next.terminate();
      } else {
        setError(message.message);
        setProgress(null);
      }
    };
    next.onerror = (event) => setError(event.message);
    next.postMessage({ file, profile: props.profile, stripEndTokens: props.stripEndTokens } satisfies RolloutRequest);
  };

  const summary = done?.summary;
  return h(
    'div',
    null,
    h(Card, { title: 'Load rollouts (JSONL)', id: 'rollouts-card' },
      h('p', { class: 'muted' }, 'Lines: ra-rft-rewards score output (scores only), score input ({"completion", "target"} or HI-VTG items with "completions"), or TRL-style rows {"prompt", "completion", "target"} (text or chat messages). Completions are scored in a worker with the ', h('strong', null, props.profile), ' profile and ', h('span', { class: 'embedder' }, 'trigram-hash-256'), '; the file is streamed, never read whole.'),
      h('label', { for: 'rollouts-file' }, 'Rollouts file'),
      h('input', { id: 'rollouts-file', type: 'file', accept: '.jsonl,.json,.txt,application/x-ndjson', onChange: (e: Event) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file !== undefined) load(file);
      } }),
      progress === null ? null : h('div', { 'data-loading': 'true' },
        h('label', { for: 'rollouts-progress' }, `Reading: ${(progress.bytes / 1e6).toFixed(1)} of ${(progress.total / 1e6).toFixed(1)} MB, ${progress.rows} completions, ${progress.errors} unreadable lines`),
        h('progress', { id: 'rollouts-progress', class: 'progress', max: progress.total || 1, value: progress.bytes }),
      ),
      error === '' ? null : h('p', { class: 'error', role: 'alert' }, error),
    ),
    summary === undefined || done === null
      ? null
      : h('div', { 'data-rollouts-done': 'true' },
          h(Card, { title: 'Summary', id: 'rollouts-summary' },
            h('p', null, `${summary.rows} completions in ${summary.groupCount} groups from ${(done.bytes / 1e6).toFixed(1)} MB in ${done.seconds.toFixed(1)} s; ${summary.errors} unreadable lines. Scored completions: profile ${scoredProfile}, `, h('span', { class: 'embedder', 'data-embedder': done.embedder }, done.embedder), '.'),
            summary.firstErrors.length > 0 ? h('ul', { class: 'error' }, summary.firstErrors.map((m) => h('li', null, m))) : null,
            summary.zeroVarianceGroups > 0 ? h('p', { class: 'warn', 'data-zero-variance': String(summary.zeroVarianceGroups) }, `${summary.zeroVarianceGroups} groups have zero reward variance (all advantages 0).`) : null,
            h('table', { 'aria-label': 'mean reward per part' }, h('thead', null, h('tr', null, h('th', null, 'mean'), ...ROLLOUT_PARTS.map((p) => h('th', null, p)))), h('tbody', null, h('tr', null, h('th', { scope: 'row' }, scoredProfile), ...ROLLOUT_PARTS.map((p) => h(Reward, { hook: `${scoredProfile}.${p}`, value: summary.means[p] }))))),
          ),
          h(Card, { title: 'Distributions per part' }, h(Charts, { summary })),
          h(Card, { title: `Groups by prompt (the largest ${Math.min(50, summary.groups.length)} of ${summary.groupCount})` },
            h('table', { 'aria-label': 'groups' }, h('thead', null, h('tr', null, h('th', { class: 'text' }, 'prompt / group'), h('th', null, 'n'), h('th', null, 'mean total'), h('th', null, 'std'), h('th', null, 'zero variance'))),
              h('tbody', null, summary.groups.slice(0, 50).map((g) => h('tr', null, h('td', { class: 'text' }, g.group.slice(0, 160)), h('td', null, String(g.count)), h('td', null, g.mean.toFixed(4)), h('td', null, g.std.toFixed(4)), h('td', { class: g.zeroVariance ? 'warn' : undefined }, g.zeroVariance ? 'yes' : ''))))),
          ),
          h(Card, { title: 'Best and worst completions' }, h('div', { class: 'grid' }, h(Ranked, { title: 'Best 5', list: summary.best, profile: scoredProfile, id: 'rollouts-best' }), h(Ranked, { title: 'Worst 5', list: summary.worst, profile: scoredProfile, id: 'rollouts-worst' }))),
        ),
  );
}
