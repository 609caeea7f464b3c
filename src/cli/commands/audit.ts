import type { Command } from 'commander';
import { ON_HEALTH_FAILURE, type OnHealthFailure } from '../../../machines/host/state.ts';
import { auditJson, auditLog, formatAudit } from '../audit.ts';
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
    .action((log: string, flags: { policy: string; json: boolean }) => {
      if (!(ON_HEALTH_FAILURE as readonly string[]).includes(flags.policy)) {
        throw new UsageError(
          `--policy: expected one of ${ON_HEALTH_FAILURE.join(', ')}, got "${flags.policy}"`,
        );
      }
      const policy = { onHealthFailure: flags.policy as OnHealthFailure };
      const { report } = auditLog(log, policy);
      if (flags.json) print(JSON.stringify(auditJson(report)));
      else for (const line of formatAudit(log, report)) print(line);
      process.exitCode = report.divergences.length > 0 || report.unreadable.length > 0 ? 1 : 0;
    });
}
