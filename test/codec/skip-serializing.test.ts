import { describe, expect, test } from 'vitest';
import { remoteEventOf } from '../../src/audit/payload.ts';
import { answerStepLine } from '../../src/cli/step.ts';

/*
 * Every `skip_serializing_if` nixfleet 080d6cd puts on a type the step contract or the
 * audit reads (README "Conformance" lists them):
 *
 * - step contract, `nixfleet-state-machine/src/state.rs`: `ProbeSubResult.override_reason`
 *   only. (RolloutRecord, ProbeRecord, RolloutEvent, RolloutEffect carry serde derives
 *   without it; Event, Effect, OutboundAgentEvent, the errors carry no serde derive.)
 * - agent-event wire, `nixfleet-proto/src/agent_event.rs` (what `agent_event` log payloads
 *   are read as): `AgentEventEnvelope.signature`, `AgentEvent::ProbeResult.failure_reason`
 *   and `.sub_results`, `ProbeSubResultWire.article` and `.override_reason`.
 *
 * Skipped keys are written only when Some, and read as None when missing or `null`.
 */

const SOAKING =
  '{"rollout_id":"stable@a1","hostname":"web-01","channel":"stable","state":"Soaking",' +
  '"target_closure":"t","current_closure_at_dispatch":"p","current_closure":"t",' +
  '"reverted_to":null,"dispatched_at":"2026-05-16T01:00:00Z","soak_due_at":"2026-05-16T01:05:00Z",' +
  '"probes":{},"last_event_seq":0}';
const probeResult = (sub: string) =>
  `{"host":${SOAKING},"event":{"LocalProbeResult":{"probe_name":"cis","mode":"enforce",` +
  `"status":"pass","observed_at":"2026-05-16T01:00:10Z","failure_reason":null,` +
  `"sub_results":[{"control_id":"c1","status":"pass","framework":"cis","article":null${sub}}],` +
  `"seq":1}},"policy":{"on_health_failure":"halt"}}`;
const subResultsOf = (line: string) => {
  const answer = JSON.parse(answerStepLine(line, 1).answer);
  return answer.effects[0].LocalEmitEvent.payload.ProbeResult.sub_results;
};

describe('ProbeSubResult.override_reason (the step contract’s one skipped field)', () => {
  test('missing or null reads as None, and None writes no key', () => {
    for (const sub of ['', ',"override_reason":null']) {
      expect(subResultsOf(probeResult(sub))).toEqual([
        {
          control_id: 'c1',
          status: 'pass',
          framework: 'cis',
          article: null,
          effective_mode: 'enforce',
        },
      ]);
    }
  });
  test('Some is written', () => {
    expect(subResultsOf(probeResult(',"override_reason":"waived"'))[0].override_reason).toBe(
      'waived',
    );
  });
});

describe('agent_event payloads read with the agent-event wire’s skipped keys absent', () => {
  test('ProbeResult without failureReason and subResults, a sub-result without article', () => {
    const bare = remoteEventOf({
      kind: 'ProbeResult',
      probeName: 'cis',
      mode: 'enforce',
      status: 'fail',
      observedAt: '2026-05-16T01:00:10Z',
      seq: 3,
    });
    expect(bare.ok && bare.value).toMatchObject({ failureReason: null, subResults: null });
    const sub = remoteEventOf({
      kind: 'ProbeResult',
      probeName: 'cis',
      mode: 'enforce',
      status: 'fail',
      observedAt: '2026-05-16T01:00:10Z',
      subResults: [{ controlId: 'c1', status: 'fail', framework: 'cis' }],
      seq: 3,
    });
    expect(sub.ok && sub.value).toMatchObject({
      subResults: [{ article: null, effectiveMode: 'enforce', overrideReason: null }],
    });
  });
});
