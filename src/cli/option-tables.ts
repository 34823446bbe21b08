import { benchVariantsSettingsSchema } from '../benchmark/options-schema.js';
import { flagFields, markdownOptionsTable, optionFields } from '../internal/option-schema.js';
import { trainSettingsSchema } from '../trainer/options-schema.js';
import { BENCH_FLAG_FIELDS } from './commands/bench-variants.js';
import { evaluateOptionsSchema } from './commands/evaluate.js';
import { scoreOptionsSchema } from './commands/score.js';
import { TRAIN_FLAG_FIELDS } from './commands/train.js';

/**
 * The docs' options tables by marker name (`<!-- options-table:NAME:start -->` … `end -->` in docs/*.md), each
 * generated from its schema: `npm run regen` writes them, and the tests and `regen --check` compare them.
 */
export const OPTION_TABLES: Readonly<Record<string, () => string>> = {
  train: () => markdownOptionsTable(optionFields(trainSettingsSchema)),
  'train-cli': () => markdownOptionsTable(flagFields(TRAIN_FLAG_FIELDS)),
  score: () => markdownOptionsTable(optionFields(scoreOptionsSchema)),
  evaluate: () => markdownOptionsTable(optionFields(evaluateOptionsSchema)),
  'bench-variants': () => markdownOptionsTable(optionFields(benchVariantsSettingsSchema)),
  'bench-variants-cli': () => markdownOptionsTable(BENCH_FLAG_FIELDS),
};

/** `text` with every options table between its markers rewritten; throws on an unknown table name. */
export function withOptionTables(text: string, where: string): string {
  return text.replace(/<!-- options-table:([\w-]+):start -->\n[\s\S]*?\n?<!-- options-table:\1:end -->/g, (_whole, table: string) => {
    const make = OPTION_TABLES[table];
    if (make === undefined) throw new Error(`${where}: unknown options table '${table}' (known: ${Object.keys(OPTION_TABLES).join(', ')})`);
    return `<!-- options-table:${table}:start -->\n${make()}\n<!-- options-table:${table}:end -->`;
  });
}
