import type { Command } from 'commander';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { fsProblem, requireOutput } from '../../files/fs-problem.ts';
import { writeWhole } from '../../files/write-whole.ts';
import { InputError } from '../usage-error.ts';
import { print } from './io.ts';

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
      const { reportInput } = await import('../../report/report-input.ts');
      const input = reportInput(file);
      let html: string;
      if (input.kind === 'trace') {
        const { traceReport } = await import('../../report/trace-report.ts');
        const { loadTrace } = await import('../../ui/replay/load-trace.ts');
        const trace = loadTrace(file);
        html = traceReport(trace, file, await reachedDiagrams(trace.records));
      } else {
        const { comparisonReport } = await import('../../report/comparison-report.ts');
        html = comparisonReport(input.json, file);
      }
      try {
        writeWhole(out, html);
      } catch (e) {
        throw new InputError(`${out}: cannot write the report: ${fsProblem(e)}`);
      }
      print(`report: ${out}`);
    });
}
