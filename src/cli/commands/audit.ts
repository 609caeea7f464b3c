import type { Command } from 'commander';
import { ON_HEALTH_FAILURE, type OnHealthFailure } from '../../../machines/host/state.ts';
import { quote } from '../../../sim/quote.ts';
import { requireOutput } from '../../files/fs-problem.ts';
import { UsageError } from '../usage-error.ts';
import { print } from './io.ts';

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      "re-derive a nixfleet control plane's event log through the reducers and report where they differ",
    )
    .argument('<log>', 'the event_log table exported as JSON Lines (docs/audit.md)')
    .option('--policy <policy>', 'the on_health_failure of the signed manifest', 'halt')
    .option('--json', 'print one JSON object', false)
    .option('--trace <file>', 'write the log as a rollout-sim-trace/1 trace (replay shows it)')
    .action(async (log: string, flags: { policy: string; json: boolean; trace?: string }) => {
      if (!(ON_HEALTH_FAILURE as readonly string[]).includes(flags.policy)) {
        throw new UsageError(
          `--policy: expected one of ${ON_HEALTH_FAILURE.join(', ')}, got ${quote(flags.policy)}`,
        );
      }
      // Loaded when the command runs, as every command's work: the CLI starts at once.
      const { auditJson, auditLog, formatAudit } = await import('../audit.ts');
      const { writeAuditTrace } = await import('../../audit/write-trace.ts');
      const policy = { onHealthFailure: flags.policy as OnHealthFailure };
      if (flags.trace !== undefined)
        requireOutput(flags.trace, 'the trace', [{ flag: 'the audit', path: log }]);
      const { report, trace } = auditLog(log, policy);
      if (flags.trace !== undefined) writeAuditTrace(flags.trace, trace);
      if (flags.json) print(JSON.stringify(auditJson(report)));
      else for (const line of formatAudit(log, report)) print(line);
      const broken = report.violations.some((v) => v.known === null);
      process.exitCode =
        report.divergences.length > 0 || report.unreadable.length > 0 || broken ? 1 : 0;
    });
}
