import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { escapeControls, quote } from '../../sim/quote.ts';
import { fsProblem } from '../files/fs-problem.ts';
import { registerAudit } from './commands/audit.ts';
import { registerCheck } from './commands/check.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDiagram } from './commands/diagram.ts';
import { registerExplore } from './commands/explore.ts';
import { registerMachine } from './commands/machine.ts';
import { registerPaths } from './commands/paths.ts';
import { registerReplay } from './commands/replay.ts';
import { registerReport } from './commands/report.ts';
import { registerRun } from './commands/run.ts';
import { registerStep } from './commands/step.ts';
import { registerWalkthrough } from './commands/walkthrough.ts';
import { refuseEmptyValues } from './empty-values.ts';
import { refuseRepeatedFlags } from './repeated-flags.ts';
import { InputError, UsageError } from './usage-error.ts';
import { limitHeapGrowth } from './v8-defaults.ts';

limitHeapGrowth();

// A reader that goes away (`| head`) ends the command quietly, as for any Unix tool.
// Output that cannot be written (`> /dev/full`, a disk that fills) is bad input, not a
// bug: one line in words, as a trace file that cannot be written gets.
for (const [stream, name] of [
  [process.stdout, 'standard output'],
  [process.stderr, 'standard error'],
] as const) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (typeof error.code !== 'string') bug(error);
    if (stream !== process.stderr)
      process.stderr.write(`rollout-sim: cannot write ${name}: ${fsProblem(error)}\n`);
    process.exit(1);
  });
}

/**
 * An error is one line whatever it quotes, and prints only what it shows: a parser's
 * message can carry the input's own line breaks (JSON.parse quotes the text it choked
 * on), a file name or a flag's value an escape sequence. Every control character is
 * written as its JSON escape (`\n`, `\u001b`), whoever formed the message.
 */
const oneLine = escapeControls;

/** `--debug` anywhere on the command line: unexpected errors show their stack trace. */
const debug = process.argv.includes('--debug');

/**
 * Anything not foreseen as bad input or usage is a defect: one line and a request to
 * report it, exit 1; the stack trace only with --debug.
 */
function bug(error: unknown): never {
  const message = oneLine(
    String((error as Error | undefined)?.message ?? error).split('\n')[0] ?? '',
  );
  process.stderr.write(
    `rollout-sim: internal error: ${message}. This is a bug: please report it (run again with --debug for details)\n`,
  );
  if (debug) process.stderr.write(`${(error as Error | undefined)?.stack ?? String(error)}\n`);
  process.exit(1);
}
process.on('uncaughtException', bug);
process.on('unhandledRejection', bug);

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { version: string };

const program = new Command()
  .name('rollout-sim')
  .description('Simulate and verify nixfleet-style fleet rollouts.')
  // Not commander's .version(): that prints the version wherever -V/--version stands and
  // drops everything given with it (`--version extra`, `run --version`).
  .option('-V, --version', 'print the version')
  .option('--debug', 'show the stack trace of an internal error')
  .exitOverride()
  .showSuggestionAfterError()
  .hook('preAction', (_program, command) => refuseEmptyValues(command))
  // Usage errors stay on one line, suggestion included; a value commander quotes back
  // (`unknown option '--x'`) is shown with its control characters escaped.
  .configureOutput({
    outputError: (text, write) =>
      write(`rollout-sim: ${oneLine(text.trim().replace(/\s*\n(?=\(Did you mean )/g, ' '))}\n`),
  });

program.on('option:version', () => {
  const other = process.argv.slice(2).find((a) => !['-V', '--version', '--debug'].includes(a));
  if (other !== undefined)
    throw new UsageError(`--version: expected no other arguments, got ${quote(other)}`);
  process.stdout.write(`${version}\n`);
  throw new CommanderError(0, 'commander.version', version);
});

// One file per command in ./commands. Each only declares its options: what a command
// does is imported when it runs, so start-up (and `--version`) loads no command's code.
registerRun(program);
registerReplay(program);
registerCheck(program);
registerExplore(program);
registerCompare(program);
registerReport(program);
// step's help lists an input line per machine, worked out from the machines: loaded
// only when help is asked for, so that `step` itself and every other command start
// without them.
const args = process.argv.slice(2);
const helpWanted = args.includes('--help') || args.includes('-h') || args[0] === 'help';
registerStep(program, helpWanted ? (await import('./step-examples.ts')).stepExamples : null);
registerDiagram(program);
registerPaths(program);
registerWalkthrough(program);
registerMachine(program);
registerAudit(program);
refuseRepeatedFlags(program);

try {
  // commander's `help NAME` prints the whole usage, exit 2, for a NAME it does not know.
  const topic = args[0] === 'help' ? args[1] : undefined;
  if (topic !== undefined && !program.commands.some((c) => c.name() === topic))
    throw new UsageError(
      `help: unknown command ${quote(topic)} (commands: ${program.commands.map((c) => c.name()).join(', ')})`,
    );
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not failures; everything else commander rejects is usage.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`rollout-sim: ${oneLine(error.message)}\n`);
    process.exitCode = 2;
  } else if (error instanceof InputError) {
    process.stderr.write(`rollout-sim: ${oneLine(error.message)}\n`);
    process.exitCode = 1;
  } else {
    bug(error);
  }
}
