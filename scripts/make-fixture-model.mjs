#!/usr/bin/env node
// Writes test/fixtures/tiny-bert: a tiny BERT-shaped sentence encoder in the layout transformers.js loads
// (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx, onnx/model_quantized.onnx), so the
// tests can load it through transformersEmbedder exactly as users load Xenova/all-MiniLM-L6-v2, offline.
//
//   node scripts/make-fixture-model.mjs [outDir]     (default: test/fixtures/tiny-bert)
//
// The weights are random (seeded, so the output is byte-for-byte reproducible) and mean nothing; the graph
// has the parts that matter for loading and pooling: word + position + token-type embeddings, layer norm,
// one masked self-attention layer (so padding could change vectors, as in the real model), a residual and
// a second layer norm, output `last_hidden_state` [batch, seq, hidden]. model_quantized.onnx uses the
// DynamicQuantizeLinear + MatMulInteger pattern of onnxruntime's dynamic quantization (what the q8 files
// of the Xenova models contain). ONNX is protobuf; a small encoder below writes it without Python.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'test/fixtures/tiny-bert'));

const HIDDEN = 32;
const MAX_POSITIONS = 128;
const SEED = 20240611;

// ---------- vocabulary and tokenizer files ----------
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = `the a an and or of to in on at by for with from into over under up down out off is are was were be
been it its this that these those there here who what when where why how not no nil none never nothing
man woman person people child boy girl dog cat he she they we you i his her their them him
open opens opened close closes closed door window car house room kitchen table chair bed floor wall
walk walks walking run runs running sit sits sitting stand stands standing play plays playing
take takes took put puts hold holds holding look looks looking watch watches talk talks talking
eat eats eating drink drinks cook cooks cooking wash washes washing throw throws pick picks
dance dances dancing sing sings singing laugh laughs smile smiles cry cries jump jumps
video clip scene moment event happens happen seen shown appears does doesn't query sentence answer
second seconds minute start end begin ends begins before after during while then first last
ball book phone cup glass bottle bag box paper food water light camera guitar piano
red blue green white black big small long short good bad new old same other another
such event no happens`.split(/\s+/).filter((word) => word !== '');
const PUNCTUATION = [...'.,!?;:\'"()-/'];
const DIGITS = [...'0123456789'];
const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];

const vocabList = [];
const seen = new Set();
for (const token of [...SPECIAL, ...PUNCTUATION, ...DIGITS, ...LETTERS, ...LETTERS.map((l) => `##${l}`), ...DIGITS.map((d) => `##${d}`), ...WORDS]) {
  if (!seen.has(token)) {
    seen.add(token);
    vocabList.push(token);
  }
}
for (const suffix of ['s', 'ed', 'ing', 'er', 'ly', 'es']) {
  if (!seen.has(`##${suffix}`)) {
    seen.add(`##${suffix}`);
    vocabList.push(`##${suffix}`);
  }
}
const vocab = Object.fromEntries(vocabList.map((token, id) => [token, id]));
const VOCAB_SIZE = vocabList.length;
const idOf = (token) => vocab[token];

const special = (token) => ({ id: idOf(token), content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
const tokenizerJson = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: SPECIAL.map(special),
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    pair: [
      { SpecialToken: { id: '[CLS]', type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: '[SEP]', type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } },
      { SpecialToken: { id: '[SEP]', type_id: 1 } },
    ],
    special_tokens: {
      '[CLS]': { id: '[CLS]', ids: [idOf('[CLS]')], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [idOf('[SEP]')], tokens: ['[SEP]'] },
    },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
};
const tokenizerConfig = {
  tokenizer_class: 'BertTokenizer',
  do_lower_case: true,
  model_max_length: MAX_POSITIONS,
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
  clean_up_tokenization_spaces: true,
  strip_accents: null,
  tokenize_chinese_chars: true,
};
const config = {
  _name_or_path: 'ra-rft-rewards/tiny-bert-fixture',
  architectures: ['BertModel'],
  model_type: 'bert',
  hidden_size: HIDDEN,
  intermediate_size: HIDDEN,
  num_attention_heads: 1,
  num_hidden_layers: 1,
  max_position_embeddings: MAX_POSITIONS,
  type_vocab_size: 2,
  vocab_size: VOCAB_SIZE,
  pad_token_id: idOf('[PAD]'),
  layer_norm_eps: 1e-12,
  hidden_act: 'gelu',
  torch_dtype: 'float32',
};

// ---------- seeded weights ----------
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
function gaussian() {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
const randomMatrix = (rows, cols, scale) => Float32Array.from({ length: rows * cols }, () => gaussian() * scale);

const weights = {
  wordEmbeddings: randomMatrix(VOCAB_SIZE, HIDDEN, 1),
  positionEmbeddings: randomMatrix(MAX_POSITIONS, HIDDEN, 0.1),
  tokenTypeEmbeddings: randomMatrix(2, HIDDEN, 0.1),
  ln1Scale: Float32Array.from({ length: HIDDEN }, () => 1 + gaussian() * 0.05),
  ln1Bias: Float32Array.from({ length: HIDDEN }, () => gaussian() * 0.05),
  query: randomMatrix(HIDDEN, HIDDEN, 1 / Math.sqrt(HIDDEN)),
  key: randomMatrix(HIDDEN, HIDDEN, 1 / Math.sqrt(HIDDEN)),
  value: randomMatrix(HIDDEN, HIDDEN, 1 / Math.sqrt(HIDDEN)),
  output: randomMatrix(HIDDEN, HIDDEN, 1 / Math.sqrt(HIDDEN)),
  ln2Scale: Float32Array.from({ length: HIDDEN }, () => 1 + gaussian() * 0.05),
  ln2Bias: Float32Array.from({ length: HIDDEN }, () => gaussian() * 0.05),
};

// ---------- a minimal protobuf writer for the ONNX messages used here ----------
const textEncoder = new TextEncoder();
function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(bytes);
}
const concat = (parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
const key = (field, wireType) => varint((field << 3) | wireType);
const intField = (field, value) => concat([key(field, 0), varint(value)]);
const bytesField = (field, bytes) => concat([key(field, 2), varint(bytes.length), bytes]);
const stringField = (field, text) => bytesField(field, textEncoder.encode(text));
const floatField = (field, value) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setFloat32(0, value, true);
  return concat([key(field, 5), bytes]);
};

// TensorProto.DataType
const FLOAT = 1;
const UINT8 = 2;
const INT64 = 7;

function tensor(name, dataType, dims, data) {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return concat([...dims.map((d) => intField(1, d)), intField(2, dataType), stringField(8, name), bytesField(9, raw)]);
}
const floatTensor = (name, dims, values) => tensor(name, FLOAT, dims, Float32Array.from(values));
const int64Tensor = (name, dims, values) => tensor(name, INT64, dims, BigInt64Array.from(values, BigInt));
const uint8Tensor = (name, dims, values) => tensor(name, UINT8, dims, Uint8Array.from(values));

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;
function attribute(name, value) {
  if (Array.isArray(value)) return concat([stringField(1, name), ...value.map((v) => intField(8, v)), intField(20, ATTR_INTS)]);
  if (Number.isInteger(value) && !Object.is(value, -0)) return concat([stringField(1, name), intField(3, value), intField(20, ATTR_INT)]);
  return concat([stringField(1, name), floatField(2, value), intField(20, ATTR_FLOAT)]);
}
let nodeCount = 0;
function node(opType, inputs, outputs, attributes = {}) {
  return concat([
    ...inputs.map((input) => stringField(1, input)),
    ...outputs.map((output) => stringField(2, output)),
    stringField(3, `${opType}_${nodeCount++}`),
    stringField(4, opType),
    ...Object.entries(attributes).map(([name, value]) => bytesField(5, attribute(name, value))),
  ]);
}
function valueInfo(name, elemType, dims) {
  const shape = concat(dims.map((d) => bytesField(1, typeof d === 'string' ? stringField(2, d) : intField(1, d))));
  const tensorType = concat([intField(1, elemType), bytesField(2, shape)]);
  return concat([stringField(1, name), bytesField(2, bytesField(1, tensorType))]);
}
function model(graphNodes, initializers, name) {
  const inputs = ['input_ids', 'attention_mask', 'token_type_ids'].map((input) => valueInfo(input, INT64, ['batch_size', 'sequence_length']));
  const output = valueInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', HIDDEN]);
  const graph = concat([
    ...graphNodes.map((n) => bytesField(1, n)),
    stringField(2, name),
    ...initializers.map((t) => bytesField(5, t)),
    ...inputs.map((i) => bytesField(11, i)),
    bytesField(12, output),
  ]);
  const opset = concat([stringField(1, ''), intField(2, 17)]);
  return concat([intField(1, 8), stringField(2, 'ra-rft-rewards/scripts/make-fixture-model.mjs'), stringField(3, '1'), bytesField(7, graph), bytesField(8, opset)]);
}

// ---------- the graph ----------
function quantizeWeight(values) {
  // onnxruntime's dynamic quantization of weights: asymmetric uint8 over [min(0, w), max(0, w)].
  let min = 0;
  let max = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const scale = (max - min) / 255;
  const zeroPoint = Math.round(-min / scale);
  const quantized = Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v / scale) + zeroPoint)));
  return { quantized, scale: Math.fround(scale), zeroPoint };
}

function buildModel(quantized) {
  nodeCount = 0;
  const nodes = [];
  const init = [
    floatTensor('embeddings.word_embeddings.weight', [VOCAB_SIZE, HIDDEN], weights.wordEmbeddings),
    floatTensor('embeddings.position_embeddings.weight', [MAX_POSITIONS, HIDDEN], weights.positionEmbeddings),
    floatTensor('embeddings.token_type_embeddings.weight', [2, HIDDEN], weights.tokenTypeEmbeddings),
    floatTensor('embeddings.LayerNorm.weight', [HIDDEN], weights.ln1Scale),
    floatTensor('embeddings.LayerNorm.bias', [HIDDEN], weights.ln1Bias),
    floatTensor('encoder.layer.0.output.LayerNorm.weight', [HIDDEN], weights.ln2Scale),
    floatTensor('encoder.layer.0.output.LayerNorm.bias', [HIDDEN], weights.ln2Bias),
    int64Tensor('const_one_index', [], [1]),
    int64Tensor('const_zero_i64', [], [0]),
    int64Tensor('const_one_i64', [], [1]),
    int64Tensor('const_axes_1', [1], [1]),
    floatTensor('const_one_f', [], [1]),
    floatTensor('const_mask_bias', [], [-3.4028234663852886e38]),
    floatTensor('const_inv_sqrt_hidden', [], [1 / Math.sqrt(HIDDEN)]),
  ];
  // Embeddings: word + position + token type, then layer norm.
  nodes.push(node('Gather', ['embeddings.word_embeddings.weight', 'input_ids'], ['word_embeds'], { axis: 0 }));
  nodes.push(node('Shape', ['input_ids'], ['input_shape']));
  nodes.push(node('Gather', ['input_shape', 'const_one_index'], ['sequence_length'], { axis: 0 }));
  nodes.push(node('Range', ['const_zero_i64', 'sequence_length', 'const_one_i64'], ['position_ids']));
  nodes.push(node('Gather', ['embeddings.position_embeddings.weight', 'position_ids'], ['position_embeds'], { axis: 0 }));
  nodes.push(node('Gather', ['embeddings.token_type_embeddings.weight', 'token_type_ids'], ['token_type_embeds'], { axis: 0 }));
  nodes.push(node('Add', ['word_embeds', 'position_embeds'], ['embeds_1']));
  nodes.push(node('Add', ['embeds_1', 'token_type_embeds'], ['embeds_2']));
  nodes.push(node('LayerNormalization', ['embeds_2', 'embeddings.LayerNorm.weight', 'embeddings.LayerNorm.bias'], ['hidden_0'], { axis: -1, epsilon: 1e-12 }));

  // Projections: fp32 MatMul, or dynamic-quantized activations × uint8 weights (q8).
  let quantizedInput = null;
  const project = (input, name, matrix) => {
    const weightName = `encoder.layer.0.${name}.weight`;
    if (!quantized) {
      init.push(floatTensor(weightName, [HIDDEN, HIDDEN], matrix));
      nodes.push(node('MatMul', [input, weightName], [`${name}_out`]));
      return `${name}_out`;
    }
    const { quantized: q, scale, zeroPoint } = quantizeWeight(matrix);
    init.push(uint8Tensor(`${weightName}_quantized`, [HIDDEN, HIDDEN], q));
    init.push(floatTensor(`${weightName}_scale`, [], [scale]));
    init.push(uint8Tensor(`${weightName}_zero_point`, [], [zeroPoint]));
    if (quantizedInput?.input !== input) {
      const prefix = `${input}_dq`;
      nodes.push(node('DynamicQuantizeLinear', [input], [`${prefix}_q`, `${prefix}_scale`, `${prefix}_zero_point`]));
      quantizedInput = { input, prefix };
    }
    const { prefix } = quantizedInput;
    nodes.push(node('MatMulInteger', [`${prefix}_q`, `${weightName}_quantized`, `${prefix}_zero_point`, `${weightName}_zero_point`], [`${name}_int`]));
    nodes.push(node('Cast', [`${name}_int`], [`${name}_int_f`], { to: FLOAT }));
    nodes.push(node('Mul', [`${prefix}_scale`, `${weightName}_scale`], [`${name}_scale`]));
    nodes.push(node('Mul', [`${name}_int_f`, `${name}_scale`], [`${name}_out`]));
    return `${name}_out`;
  };

  // One single-head self-attention layer with BERT's additive mask.
  const q = project('hidden_0', 'attention.self.query', weights.query);
  const k = project('hidden_0', 'attention.self.key', weights.key);
  const v = project('hidden_0', 'attention.self.value', weights.value);
  nodes.push(node('Transpose', [k], ['key_t'], { perm: [0, 2, 1] }));
  nodes.push(node('MatMul', [q, 'key_t'], ['scores']));
  nodes.push(node('Mul', ['scores', 'const_inv_sqrt_hidden'], ['scores_scaled']));
  nodes.push(node('Cast', ['attention_mask'], ['mask_f'], { to: FLOAT }));
  nodes.push(node('Sub', ['const_one_f', 'mask_f'], ['mask_inverted']));
  nodes.push(node('Mul', ['mask_inverted', 'const_mask_bias'], ['mask_bias']));
  nodes.push(node('Unsqueeze', ['mask_bias', 'const_axes_1'], ['mask_bias_3d']));
  nodes.push(node('Add', ['scores_scaled', 'mask_bias_3d'], ['scores_masked']));
  nodes.push(node('Softmax', ['scores_masked'], ['probs'], { axis: -1 }));
  nodes.push(node('MatMul', ['probs', v], ['context']));
  const attended = project('context', 'attention.output.dense', weights.output);
  nodes.push(node('Add', [attended, 'hidden_0'], ['residual']));
  nodes.push(
    node('LayerNormalization', ['residual', 'encoder.layer.0.output.LayerNorm.weight', 'encoder.layer.0.output.LayerNorm.bias'], ['last_hidden_state'], {
      axis: -1,
      epsilon: 1e-12,
    }),
  );
  return model(nodes, init, quantized ? 'tiny_bert_quantized' : 'tiny_bert');
}

// ---------- write ----------
mkdirSync(join(outDir, 'onnx'), { recursive: true });
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
const files = {
  'config.json': json(config),
  'tokenizer.json': json(tokenizerJson),
  'tokenizer_config.json': json(tokenizerConfig),
  'onnx/model.onnx': buildModel(false),
  'onnx/model_quantized.onnx': buildModel(true),
};
let total = 0;
for (const [file, content] of Object.entries(files)) {
  writeFileSync(join(outDir, file), content);
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  total += size;
  console.log(`wrote ${join(outDir, file)} (${size} bytes)`);
}
console.log(`tiny-bert fixture: vocab ${VOCAB_SIZE}, hidden ${HIDDEN}, ${total} bytes in all`);
