import { type Command, type CommandIO, EXIT } from '../command.js';
import { parseCommandArgs } from '../args.js';
import { EMBEDDER_CHOICES, type EmbedderChoice } from '../embedder-choice.js';
import { VERSION } from '../../version.js';
import type { Embedder } from '../../types.js';

const help = `Usage: ra-rft-rewards engine

The scoring engine on standard input and output, one JSON object per line each way: the Python package
(pip install ra-rft-rewards) starts it as its child process. Requests:
  {"id": 1, "op": "hello"}
  {"id": 2, "op": "score", "completions": [...], "targets": [...], "profile"?, "weights"?, "embedder"?, "parts"?}
  {"id": 3, "op": "getReward", "query": [...], "prompts": [...], "labels": [...]}
  {"id": 4, "op": "call", "fn": "refuseIoU", "items": [[completion, target], ...], "options"?: {...}}
Answers: {"id": n, "ok": true, "result": ...} or {"id": n, "ok": false, "error": {"type", "message", "issues"?}}.
Embedders (${EMBEDDER_CHOICES.join(', ')}, or openai:URL#MODEL for any server that speaks OpenAI's
/v1/embeddings) are loaded on first use and kept; "auto" never asks the hub.
An embedder named "python:NAME" lives in the Python process: the engine writes {"id", "op": "embed",
"embedder", "texts"} and reads {"id", "op": "embedded", "vectors"} back (each distinct text once per batch).
Logs go to standard error. The engine exits when its input ends.
`;

async function runEngine(argv: readonly string[], io: CommandIO): Promise<number> {
  parseCommandArgs(argv, {}, false);
  const { createEngine } = await import('../../engine/engine.js');
  const { PYTHON_EMBEDDER_PREFIX, serveStdio } = await import('../../engine/stdio.js');
  const loaded = new Map<string, Promise<{ embedder: Embedder; name: string }>>();
  const embedderNamed = (name: string | undefined) => {
    const choice = (name ?? process.env.RA_RFT_EMBEDDER ?? 'auto') as EmbedderChoice;
    let found = loaded.get(choice);
    if (found === undefined) {
      found = (async () => {
        const { isOpenAIEmbedderSpec, resolveEmbedder } = await import('../../embeddings/index.js');
        const { OptionsError } = await import('../../errors.js');
        if (!(EMBEDDER_CHOICES as readonly string[]).includes(choice) && !isOpenAIEmbedderSpec(choice)) {
          throw new OptionsError('engine', 'embedder', `must be one of ${EMBEDDER_CHOICES.join(', ')}, openai:URL#MODEL or a Python callable, got ${JSON.stringify(choice)}`);
        }
        // probeTimeoutMs 0: 'auto' takes local MiniLM files or USE-lite, and never asks the hub.
        const resolved = await resolveEmbedder(choice, { probeTimeoutMs: 0 });
        io.stderr.write(`ra-rft-rewards engine: embedder ${resolved.name} (${resolved.reason})\n`);
        return { embedder: resolved.embedder, name: resolved.name };
      })();
      // A failed load is not kept: the next request tries again and gets the same clear error.
      found.catch(() => loaded.delete(choice));
      loaded.set(choice, found);
    }
    return found;
  };
  const { createOnlineAudit } = await import('../../engine/online-audit.js');
  // RA_RFT_AUDIT=0 turns the online audit off (it costs a few microseconds a completion).
  const audit = process.env.RA_RFT_AUDIT === '0' ? undefined : createOnlineAudit();
  await serveStdio({
    engine: (remote) =>
      createEngine({
        version: VERSION,
        audit,
        embedder: async (name) => (name?.startsWith(PYTHON_EMBEDDER_PREFIX) ? { embedder: remote(name), name } : embedderNamed(name)),
      }),
    input: io.stdin,
    output: io.stdout,
  });
  await Promise.all([...loaded.values()].map(async (found) => ((await found.catch(() => null))?.embedder as { dispose?: () => Promise<void> } | undefined)?.dispose?.()));
  return EXIT.ok;
}

export const command: Command = {
  summary: 'the scoring engine over standard input and output (what the Python package runs)',
  help,
  run: runEngine,
};
