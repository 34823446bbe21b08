/// <reference lib="dom" />
// Small shared pieces of the playground UI (preact, no JSX: `h` calls).
import { type ComponentChildren, h } from 'preact';

/**
 * A reward value: `data-reward="<profile or variant>.<part>"` with the number as its text (full precision;
 * the cell shows it shortened by CSS and in full on hover).
 */
export function Reward(props: { hook: string; value: number | null | undefined; highlight?: boolean }) {
  if (props.value === null || props.value === undefined) return h('td', { class: 'muted' }, '—');
  const text = String(props.value);
  return h('td', { class: props.highlight === true ? 'differs' : undefined, title: text }, h('span', { class: 'num', 'data-reward': props.hook }, text));
}

/** A titled card. */
export function Card(props: { title: string; id?: string; children?: ComponentChildren }) {
  return h('section', { class: 'card', id: props.id, 'aria-labelledby': props.id === undefined ? undefined : `${props.id}-title` }, h('h3', { id: props.id === undefined ? undefined : `${props.id}-title` }, props.title), props.children);
}

/** Debounces a function (for URL updates while typing). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
