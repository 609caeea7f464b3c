import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { fsProblem, requireOutput } from '../../files/fs-problem.ts';
import { readProblem } from '../../files/open-input.ts';
import { readTextFile } from '../../files/read-text.ts';
import type { ComparisonJson } from '../../report/comparison-report.ts';
import { LineReader } from '../../trace/line-reader.ts';
import { InputError } from '../usage-error.ts';
import { print } from './io.ts';

/** A comparison is one JSON object with its format; anything else is read as a trace. */
function comparisonOf(path: string): ComparisonJson | null {
  // The first line decides, so a trace is not read whole here (loadTrace streams it).
  const reader = new LineReader(path);
  let firstLine: string | null;
  try {
    firstLine = reader.next();
  } finally {
    reader.close();
  }
  if (firstLine === null || !firstLine.includes('rollout-sim-comparison/1')) return null;
  const read = readTextFile(path);
  if (!read.ok) throw new InputError(readProblem(path, read));
  try {
    const json = JSON.parse(read.text) as ComparisonJson;
    if (json.format !== 'rollout-sim-comparison/1' || !Array.isArray(json.variants))
      throw new InputError(`${path}: expected a rollout-sim-comparison/1 object`);
    return json;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Both machines as SVG with what the trace reached marked, as `diagram --highlight` draws them. */
async function reachedDiagrams(records: readonly TraceRecord[]) {
  const { MACHINES } = await import('../../../machines/catalog.ts');
  const { reachedOf } = await import('../../diagram/reached.ts');
  const { diagramModel } = await import('../../diagram/model.ts');
  const { toLayoutDot } = await import('../../diagram/layout-dot.ts');
  const { dotToSvg } = await import('../../diagram/svg.ts');
  const draw = (machine: 'rollout' | 'host') =>
    dotToSvg(
      toLayoutDot(diagramModel(MACHINES[machine], { all: false }), reachedOf(records, machine)),
    );
  return { rollout: await draw('rollout'), host: await draw('host') };
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('a self-contained HTML page of a trace or a comparison (compare --json)')
    .argument('<file>', 'a rollout-sim-trace/1 trace or a comparison JSON')
    .option('-o, --out <file>', 'the HTML file to write (default: FILE.html)')
    .action(async (file: string, flags: { out?: string }) => {
      const out = flags.out ?? `${file.replace(/\.(jsonl|json)$/i, '')}.html`;
      requireOutput(out, 'the report', [{ flag: 'the report', path: file }]);
      const comparison = comparisonOf(file);
      let html: string;
      if (comparison === null) {
        const { traceReport } = await import('../../report/trace-report.ts');
        const { loadTrace } = await import('../../ui/replay/load-trace.ts');
        const trace = loadTrace(file);
        html = traceReport(trace, file, await reachedDiagrams(trace.records));
      } else {
        const { comparisonReport } = await import('../../report/comparison-report.ts');
        html = comparisonReport(comparison, file);
      }
      try {
        writeFileSync(out, html);
      } catch (e) {
        throw new InputError(`${out}: cannot write the report: ${fsProblem(e)}`);
      }
      print(`report: ${out}`);
    });
}
