// About 1 MB adversarial completions: long runs of tags, digits, separators and whitespace that make
// backtracking regexes take quadratic or cubic time. Shared by `npm run bench` and test/adversarial.test.ts.

const MB = 1_000_000;
const fill = (unit) => unit.repeat(Math.ceil(MB / unit.length));

/** @type {Record<string, string>} */
export const adversarialTexts = {
  'think-tags': fill('<think>'),
  'answer-tags': fill('<answer>'),
  'close-think-spaces': `<think>${fill('</think> ')}</answer>`,
  digits: fill('1'),
  'digit-spaces': fill('1 '),
  'digit-dots': fill('1.'),
  'to-chain': fill('1 to '),
  'dash-chain': fill('1 - '),
  'clock-chain': fill('0:'),
  'unicode-digits': fill('٣'),
  whitespace: `<think>${fill('\u3000')}`,
  'json-brackets': `<think></think><time>${fill('[')}</time>`,
  'nil-words': fill('vanilla '),
};

/** Each text alone, and wrapped into the prompted layout so it reaches the answer and correction parsers. */
export function adversarialCompletions() {
  return Object.entries(adversarialTexts).flatMap(([name, text]) => [
    [name, text],
    [`${name} (in tags)`, `<think>x</think><answer>${text}</answer><correction>${text}</correction>`],
  ]);
}
