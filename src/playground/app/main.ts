/// <reference lib="dom" />
// The playground page: four panels over the library, all scoring in this page (no server, no CDN).
import { h, render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { type RaRftTarget, type RewardProfile, stripEndTokens } from '../../index.js';
import { readUrlState, writeUrlState } from '../url-state.js';
import { CorpusPanel } from './corpus-panel.js';
import { type ActiveEmbedder, EmbedderPicker, defaultEmbedder } from './embedder.js';
import { GroupPanel } from './group-panel.js';
import { EXAMPLE_TARGETS, OnePanel, type ScoringSettings } from './one-panel.js';
import { RolloutsPanel } from './rollouts-panel.js';
import { debounce } from './ui.js';

const TABS = [
  { id: 'one', label: '1 · One completion' },
  { id: 'group', label: '2 · A group' },
  { id: 'corpus', label: '3 · Hack corpus' },
  { id: 'rollouts', label: '4 · Rollouts' },
] as const;
type Tab = (typeof TABS)[number]['id'];

const FALLBACK_TARGET = EXAMPLE_TARGETS[2]?.target ?? { relevant: true, span: [8.2, 13.6], duration: 16.75, answer: '8.2 to 13.6', contrast: 'No such event.' };
const FALLBACK_COMPLETION = '<think>The person takes a glass from the cabinet and sets it on the table.</think><answer>8.2 to 13.6</answer><correction>NIL</correction>';

const writeUrl = debounce((completion: string, target: RaRftTarget, profile: RewardProfile) => {
  history.replaceState(null, '', `${location.pathname}${writeUrlState({ completion, target, profile })}${location.hash}`);
}, 250);

function App() {
  const initial = useMemo(() => readUrlState(location.search), []);
  const [tab, setTab] = useState<Tab>(() => (TABS.some((t) => `#${t.id}` === location.hash) ? (location.hash.slice(1) as Tab) : 'one'));
  const [completion, setCompletion] = useState(initial.state.completion ?? FALLBACK_COMPLETION);
  const [target, setTarget] = useState<RaRftTarget>(initial.state.target ?? FALLBACK_TARGET);
  const [profile, setProfile] = useState<RewardProfile>(initial.state.profile ?? 'ra-rft');
  const [embedder, setEmbedder] = useState<ActiveEmbedder>(defaultEmbedder);
  const [thinkPrefilled, setThinkPrefilled] = useState(false);
  const [strip, setStrip] = useState(true);
  const [copied, setCopied] = useState('');
  const settings = useMemo<ScoringSettings>(() => ({ embedder, thinkPrefilled, stripEndTokens: strip }), [embedder, thinkPrefilled, strip]);
  const prepare = useCallback((text: string) => (strip ? stripEndTokens(text) : text), [strip]);

  useEffect(() => writeUrl(completion, target, profile), [completion, target, profile]);
  useEffect(() => {
    document.documentElement.dataset.ready = 'true';
  }, []);

  const selectTab = (id: Tab) => {
    setTab(id);
    history.replaceState(null, '', `${location.pathname}${location.search}#${id}`);
  };
  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = TABS[(index + step + TABS.length) % TABS.length] as (typeof TABS)[number];
    selectTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  const share = async () => {
    const url = `${location.origin}${location.pathname}${writeUrlState({ completion, target, profile })}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('link copied');
    } catch {
      setCopied(url);
    }
  };

  return h(
    'div',
    null,
    h(
      'header',
      null,
      h('h1', null, 'ra-rft-rewards playground'),
      h('nav', { role: 'tablist', 'aria-label': 'panels', onKeyDown: onTabKey },
        TABS.map((t) => h('button', { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-selected': tab === t.id, 'aria-controls': `panel-${t.id}`, tabIndex: tab === t.id ? 0 : -1, onClick: () => selectTab(t.id) }, t.label)),
      ),
      h('div', null, h('label', { class: 'inline', for: 'profile' }, 'Profile'), h('select', { id: 'profile', value: profile, onChange: (e: Event) => setProfile((e.target as HTMLSelectElement).value as RewardProfile) }, h('option', { value: 'ra-rft' }, 'ra-rft (reference)'), h('option', { value: 'strict' }, 'strict'))),
      h('label', { class: 'inline' }, h('input', { id: 'think-prefilled', type: 'checkbox', checked: thinkPrefilled, onChange: (e: Event) => setThinkPrefilled((e.target as HTMLInputElement).checked) }), 'think prefilled'),
      h('label', { class: 'inline' }, h('input', { id: 'strip-end-tokens', type: 'checkbox', checked: strip, onChange: (e: Event) => setStrip((e.target as HTMLInputElement).checked) }), 'strip chat end tokens (as the CLI and server do)'),
      h('button', { type: 'button', id: 'share', onClick: share }, 'Copy link to this case'),
      copied === '' ? null : h('span', { role: 'status', class: 'muted' }, copied),
    ),
    h(
      'main',
      null,
      initial.errors.length === 0 ? null : h('p', { class: 'error', role: 'alert' }, `Link: ${initial.errors.join('; ')}`),
      h(EmbedderPicker, { active: embedder, onChange: setEmbedder }),
      h('div', { role: 'tabpanel', id: 'panel-one', 'aria-labelledby': 'tab-one', hidden: tab !== 'one' },
        h(OnePanel, { completion, target, profile, settings, prepare, onCompletion: setCompletion, onTarget: setTarget }),
      ),
      h('div', { role: 'tabpanel', id: 'panel-group', 'aria-labelledby': 'tab-group', hidden: tab !== 'group' }, tab === 'group' ? h(GroupPanel, { target, profile, settings, prepare }) : null),
      h('div', { role: 'tabpanel', id: 'panel-corpus', 'aria-labelledby': 'tab-corpus', hidden: tab !== 'corpus' },
        tab === 'corpus'
          ? h(CorpusPanel, {
              onOpen: (entry) => {
                setCompletion(entry.completion);
                setTarget(entry.target);
                selectTab('one');
              },
            })
          : null,
      ),
      h('div', { role: 'tabpanel', id: 'panel-rollouts', 'aria-labelledby': 'tab-rollouts', hidden: tab !== 'rollouts' }, h(RolloutsPanel, { profile, stripEndTokens: strip })),
    ),
  );
}

const root = document.getElementById('root') as HTMLElement;
root.textContent = '';
render(h(App, null), root);
