/// <reference lib="dom" />
// Choosing the embedder of the explain and correction rewards: the trigram hash (default, instant), USE-lite
// on TensorFlow.js, or a transformers.js model from a URL or local files. The optional ones are separate
// chunks (use-lite.js, transformers.js) loaded only when asked for.
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { type Embedder, trigramHashEmbedder } from '../../index.js';

/** The embedder in use and its name (shown next to every number it produced). */
export interface ActiveEmbedder {
  embedder: Embedder;
  name: string;
}

/** The default: `trigram-hash-256`. */
export function defaultEmbedder(): ActiveEmbedder {
  const embedder = trigramHashEmbedder();
  return { embedder, name: embedder.name };
}

async function lazy<T>(file: string): Promise<T> {
  return (await import(/* a separate chunk next to app.js */ new URL(`./${file}`, import.meta.url).href)) as T;
}

/** The embedder controls. */
export function EmbedderPicker(props: { active: ActiveEmbedder; onChange: (next: ActiveEmbedder) => void }) {
  const [kind, setKind] = useState<'trigram' | 'use-lite' | 'transformers'>('trigram');
  const [useLiteUrl, setUseLiteUrl] = useState('./models/use-lite/');
  const [useLiteBackend, setUseLiteBackend] = useState<'webgl' | 'cpu'>('cpu');
  const [modelUrl, setModelUrl] = useState('./models/all-MiniLM-L6-v2/');
  const [dtype, setDtype] = useState('fp32');
  const [files, setFiles] = useState<File[]>([]);
  const [status, setStatus] = useState('');

  const load = async () => {
    setStatus('loading…');
    try {
      if (kind === 'trigram') props.onChange(defaultEmbedder());
      else if (kind === 'use-lite') {
        const { loadUseLite } = await lazy<typeof import('../lazy/use-lite.js')>('use-lite.js');
        const embedder = await loadUseLite(useLiteUrl, useLiteBackend);
        props.onChange({ embedder, name: embedder.name });
      } else {
        const { loadTransformers } = await lazy<typeof import('../lazy/transformers.js')>('transformers.js');
        const embedder = await loadTransformers({ url: modelUrl, files, dtype, wasmBase: './vendor/ort/' });
        props.onChange({ embedder, name: embedder.name });
      }
      setStatus('');
    } catch (error) {
      setStatus(`could not load: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return h(
    'details',
    { class: 'embedder-picker' },
    h('summary', null, 'Embedder: ', h('span', { class: 'embedder', 'data-embedder': props.active.name }, props.active.name)),
    h(
      'div',
      { class: 'row-controls' },
      h('label', { for: 'embedder-kind' }, 'Embedder for explain and correction'),
      h(
        'select',
        { id: 'embedder-kind', value: kind, onChange: (e: Event) => setKind((e.target as HTMLSelectElement).value as typeof kind) },
        h('option', { value: 'trigram' }, 'trigram hash (default, no model)'),
        h('option', { value: 'use-lite' }, 'USE-lite (TensorFlow.js)'),
        h('option', { value: 'transformers' }, 'transformers.js model (WebGPU or wasm)'),
      ),
    ),
    kind === 'use-lite'
      ? h(
          'div',
          null,
          h('label', { for: 'use-lite-url' }, 'USE-lite model folder (model.json, shards, vocab.json)'),
          h('input', { id: 'use-lite-url', type: 'text', value: useLiteUrl, onInput: (e: Event) => setUseLiteUrl((e.target as HTMLInputElement).value) }),
          h('label', { for: 'use-lite-backend' }, 'TensorFlow.js backend'),
          h('select', { id: 'use-lite-backend', value: useLiteBackend, onChange: (e: Event) => setUseLiteBackend((e.target as HTMLSelectElement).value as 'webgl' | 'cpu') }, h('option', { value: 'cpu' }, 'cpu (closest to the Node numbers)'), h('option', { value: 'webgl' }, 'webgl (faster, float32 on the GPU)')),
        )
      : null,
    kind === 'transformers'
      ? h(
          'div',
          null,
          h('label', { for: 'model-url' }, 'Model folder URL (Hugging Face layout: config.json, tokenizer files, onnx/)'),
          h('input', { id: 'model-url', type: 'text', value: modelUrl, onInput: (e: Event) => setModelUrl((e.target as HTMLInputElement).value) }),
          h('label', { for: 'model-files' }, 'or pick the model folder from this computer'),
          h('input', { id: 'model-files', type: 'file', webkitdirectory: true, multiple: true, onChange: (e: Event) => setFiles(Array.from((e.target as HTMLInputElement).files ?? [])) }),
          h('label', { for: 'model-dtype' }, 'Weights (dtype)'),
          h('select', { id: 'model-dtype', value: dtype, onChange: (e: Event) => setDtype((e.target as HTMLSelectElement).value) }, ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4'].map((d) => h('option', { value: d }, d))),
        )
      : null,
    h('div', { class: 'row-controls' }, h('button', { type: 'button', id: 'embedder-load', onClick: load }, 'Use this embedder'), h('span', { role: 'status', class: status.startsWith('could') ? 'error' : 'muted' }, status)),
  );
}
