import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * Every input class validated where it enters (DESIGN §6): numbers of flags and `--set`
 * settings, seeds, files read and written, fleets that can never finish, JSON duplicate
 * keys, flags that do not apply. Each case: the exact one line on stderr, the exit
 * status (1 bad input, 2 usage), nothing on stdout, no stack trace, no file written.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

const FLEET = (edges: string) => `channels:
  stable: { rollout_policy: staged, initial_ref: "r1" }
rollout_policies:
  staged:
    strategy: staged
    on_health_failure: halt
    waves:
      - { hosts: [a, b], soak_minutes: 0 }
      - { hosts: [c], soak_minutes: 0 }
host_defaults: { channel: stable }
hosts: { a: {}, b: {}, c: {} }
host_edges: ${edges}
`;
writeFileSync(at('later-wave.yaml'), FLEET('[{ gated: a, gates: c }]'));
writeFileSync(at('cycle.yaml'), FLEET('[{ gated: a, gates: b }, { gated: b, gates: a }]'));
writeFileSync(at('dup.json'), '{"channels": {},\n "channels": {}}');
writeFileSync(at('dup-deep.json'), '{"hosts": {"a": {"probes": [{"name": 1, "name": 2}]}}}');
mkdirSync(at('a-directory'));
writeFileSync(at('not-json.txt'), 'not json\n');
// YAML that plain data cannot hold as written (each once printed a Node warning, or
// ran out of stack as "internal error while reading the fleet").
writeFileSync(at('list-key.yaml'), '? [a, b]\n: 1\n');
writeFileSync(at('recursive.yaml'), 'a: &x [*x]\n');
writeFileSync(
  at('laughs.yaml'),
  ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
    .concat(
      'bcdefghi'
        .split('')
        .map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
    )
    .join('\n'),
);
writeFileSync(
  at('number-key.yaml'),
  FLEET('[]').replace('hosts: { a: {}, b: {}, c: {} }', 'hosts: { a: {}, b: {}, c: {}, 01: {} }'),
);
writeFileSync(at('variants-list-key.yaml'), 'variants:\n  ? [a]\n  : {}\n  b: {}\n');
// Escape sequences in fleet texts, which the summary and the UI print (this one cleared
// the screen and turned the rest red).
writeFileSync(at('escape-name.yaml'), `name: "demo\\e[2J\\e[31m"\n${FLEET('[]')}`);
/** A one-host JSON fleet whose ref is written as `ref`, JSON escapes and all. */
const JSON_FLEET = (ref: string) =>
  JSON.stringify({
    channels: { stable: { rollout_policy: 'all', initial_ref: 'REF' } },
    rollout_policies: { all: { strategy: 'all-at-once' } },
    hosts: { a: { channel: 'stable' } },
  }).replace('"REF"', ref);
writeFileSync(at('escape-ref.json'), JSON_FLEET('"r1\\u001b[31m"'));
writeFileSync(
  at('long-ref.yaml'),
  FLEET('[]').replace('initial_ref: "r1"', `initial_ref: "${'r'.repeat(2000)}"`),
);
writeFileSync(at('long-host.yaml'), FLEET('[]').replaceAll(/\bc\b/g, 'h'.repeat(254)));
// YAML that read as something else without a word, or with yaml's own words.
writeFileSync(at('tag-set.yaml'), 'channels: !!set { a, b }\n');
writeFileSync(at('tag-custom.yaml'), FLEET('[]').replace('hosts: { a: {}', 'hosts: { a: !host {}'));
writeFileSync(at('two-docs.yaml'), `${FLEET('[]')}---\nhosts: {}\n`);
writeFileSync(at('merge-number.yaml'), `${FLEET('[]')}host_defaults2:\n  <<: 5\n`);
// Half a UTF-16 pair, escaped: no character (a trace showed U+FFFD); a whole pair is one.
writeFileSync(at('surrogate-ref.json'), JSON_FLEET('"r1\\ud800"'));
writeFileSync(
  at('surrogate-host.yaml'),
  FLEET('[]').replace('hosts: { a: {}', 'hosts: { "a\\udc00": {}'),
);
writeFileSync(at('escape-variants.yaml'), 'variants:\n  a: {}\n  b: { "soak\\e[2J": 1 }\n');
// A C1 control written as is (UTF-8 C2 9B): CSI, which some terminals obey by itself.
writeFileSync(
  at('c1-ref.yaml'),
  FLEET('[]').replace('initial_ref: "r1"', 'initial_ref: "r1\u009b2J"'),
);
writeFileSync(
  at('slow-wire.yaml'),
  `${FLEET('[]')}faults:\n  network: { latency_ms: [5, 20000] }\n`,
);
writeFileSync(
  at('deep-block.yaml'),
  Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
);
writeFileSync(at('deep-variants.yaml'), `variants:\n  a:\n    ${'- '.repeat(1000)}x\n`);
writeFileSync(
  at('hostless-channel.yaml'),
  FLEET('[]').replace(
    'stable: { rollout_policy: staged, initial_ref: "r1" }',
    'stable: { rollout_policy: staged, initial_ref: "r1" }\n  beta: { rollout_policy: staged, initial_ref: "b1" }',
  ),
);
writeFileSync(
  at('forever-activation.yaml'),
  `${FLEET('[]')}faults:\n  activation: { duration_seconds: [5, 1e16] }\n`,
);
const fleetFile = at('fleet-in.yaml');
writeFileSync(fleetFile, FLEET('[]'));
// One host more than explore takes from a fleet file.
const hosts33 = Array.from({ length: 33 }, (_, i) => `h${i}: {}`).join(', ');
const fleet33 = at('fleet-33.yaml');
writeFileSync(
  fleet33,
  `channels:
  stable: { rollout_policy: all, initial_ref: "r1" }
rollout_policies:
  all: { strategy: all-at-once, on_health_failure: halt, waves: [{ selector: "*", soak_minutes: 0 }] }
host_defaults: { channel: stable }
hosts: { ${hosts33} }
`,
);

interface Case {
  readonly what: string;
  readonly args: readonly string[];
  readonly status: 1 | 2;
  readonly stderr: string;
}

const CASES: readonly Case[] = [
  {
    what: 'a tick setting of 0 (it would hang the run)',
    args: ['run', '--set', 'plan_tick_secs=0'],
    status: 2,
    stderr: 'rollout-sim: --set plan_tick_secs: expected a number ≥ 0.001 and ≤ 315360000, got "0"',
  },
  {
    what: "a tick shorter than the clock's millisecond (it would hang the run just the same)",
    args: ['run', '--set', 'plan_tick_secs=1e-300'],
    status: 2,
    stderr:
      'rollout-sim: --set plan_tick_secs: expected a number ≥ 0.001 and ≤ 315360000, got "1e-300"',
  },
  {
    what: 'a poll setting of 0 under check',
    args: ['check', '--runs', '1', '--set', 'long_poll_secs=0'],
    status: 2,
    stderr: 'rollout-sim: --set long_poll_secs: expected a number ≥ 0.001 and ≤ 315360000, got "0"',
  },
  {
    what: 'an empty setting',
    args: ['run', '--set', 'heartbeat_secs='],
    status: 2,
    stderr: 'rollout-sim: --set heartbeat_secs: expected a number, got ""',
  },
  {
    what: 'retention beyond its range',
    args: ['run', '--set', 'retention_days=1e9'],
    status: 2,
    stderr: 'rollout-sim: --set retention_days: expected a number ≥ 0 and ≤ 3650, got "1e9"',
  },
  {
    what: 'a run seed the trace header could not keep',
    args: ['run', '--seed', '4294967296'],
    status: 2,
    stderr: 'rollout-sim: --seed: expected an integer 0..4294967295, got "4294967296"',
  },
  {
    what: 'a fractional check seed',
    args: ['check', '--seed', '1.5'],
    status: 2,
    stderr: 'rollout-sim: --seed: expected an integer -2147483648..2147483647, got "1.5"',
  },
  {
    what: 'a check seed fast-check would fold into another',
    args: ['check', '--seed', '9999999999'],
    status: 2,
    stderr: 'rollout-sim: --seed: expected an integer -2147483648..2147483647, got "9999999999"',
  },
  {
    what: 'too many hosts',
    args: ['run', '--hosts', '2000000'],
    status: 2,
    stderr: 'rollout-sim: --hosts: expected an integer 1..1000000, got "2000000"',
  },
  {
    what: 'a zero --until',
    args: ['run', '--until', '0s'],
    status: 2,
    stderr:
      'rollout-sim: --until: expected a duration of at least 0.001s and at most 3650d, got "0s"',
  },
  {
    what: "an --until under the clock's millisecond (it ran no time at all)",
    args: ['run', '--until', '0.0004s'],
    status: 2,
    stderr:
      'rollout-sim: --until: expected a duration of at least 0.001s and at most 3650d, got "0.0004s"',
  },
  // Number() takes all of these; nobody means them as a setting, a rate or a size.
  ...['0x10', '0b1111', ' 15 ', 'Infinity'].map((text) => ({
    what: `a --set number written ${JSON.stringify(text)}`,
    args: ['run', '--set', `plan_tick_secs=${text}`],
    status: 2 as const,
    stderr: `rollout-sim: --set plan_tick_secs: expected a number, got ${JSON.stringify(text)}`,
  })),
  {
    what: 'a rate written in hex',
    args: ['run', '--hosts', '3', '--drop-rate', '0x0'],
    status: 2,
    stderr: 'rollout-sim: --drop-rate: expected a rate between 0 and 1, got "0x0"',
  },
  {
    what: 'a variant size written in hex',
    args: ['compare', '--variant', 'a:soak_minutes=0x2', '--variant', 'b'],
    status: 2,
    stderr:
      'rollout-sim: --variant a: soak_minutes: expected an integer in [0, 315360000], got "0x2"',
  },
  {
    what: "a fleet file's latency no request timeout outlasts (was blamed on --set, exit 2)",
    args: ['run', '--fleet', at('slow-wire.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('slow-wire.yaml')}: faults.network.latency_ms: request_timeout_secs 10 is not longer than an agent request's round trip (up to 40 s: latency up to 20000 ms each way), so no request would ever be answered`,
  },
  {
    what: 'the same wire with a --set timeout: --set is to blame',
    args: ['run', '--fleet', at('slow-wire.yaml'), '--set', 'request_timeout_secs=30'],
    status: 2,
    stderr: `rollout-sim: --set: request_timeout_secs 30 is not longer than an agent request's round trip (up to 40 s: latency up to 20000 ms each way), so no request would ever be answered`,
  },
  {
    what: '--runs with --path (it was ignored, and the report said "over 100 runs")',
    args: ['check', '--seed', '1', '--path', '3', '--runs', '5'],
    status: 2,
    stderr: 'rollout-sim: --runs: not with --path, which replays one case',
  },
  {
    what: '--workers with --path',
    args: ['check', '--seed', '1', '--path', '3', '--workers', '2'],
    status: 2,
    stderr: 'rollout-sim: --workers: not with --path, which replays one case',
  },
  {
    what: 'more shards than runs (a shard of no runs reported success)',
    args: ['check', '--runs', '2', '--seed', '1', '--shard', '1/3'],
    status: 2,
    stderr: 'rollout-sim: --shard 1/3: more shards than --runs 2, so some would check no run',
  },
  {
    what: 'one invariant named twice (it was counted twice)',
    args: ['check', '--invariant', 'dispatch.budget', '--invariant', 'dispatch.budget'],
    status: 2,
    stderr: 'rollout-sim: --invariant dispatch.budget given twice',
  },
  // YAML block nesting recursed in the parser: "YAML syntax error: Maximum call stack size exceeded".
  {
    what: 'a fleet file of 1,000 nested block mappings',
    args: ['run', '--fleet', at('deep-block.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('deep-block.yaml')}:129:129: nested deeper than 128 levels`,
  },
  {
    what: 'a variants file of 1,000 nested block sequences on one line',
    args: ['compare', '--variants', at('deep-variants.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('deep-variants.yaml')}:3:257: nested deeper than 128 levels`,
  },
  {
    what: "a generator flag for check's own fleets (was said to be 'the default, demo')",
    args: ['check', '--drop-rate', '0.1', '--soak', '2'],
    status: 2,
    stderr:
      'rollout-sim: --soak, --drop-rate: only for a generated fleet (--hosts/--waves/--channels); without one, check draws its own fleets and faults',
  },
  {
    what: 'a channel no host follows (the run ended "stalled" with its rollout Opening)',
    args: ['run', '--fleet', at('hostless-channel.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('hostless-channel.yaml')}: channels.beta: no host follows this channel, so its rollout would stay Opening and never finish`,
  },
  {
    what: 'an activation lasting 1e16 s (the run spun forever, deaf to SIGTERM)',
    args: ['run', '--fleet', at('forever-activation.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('forever-activation.yaml')}: faults.activation.duration_seconds: must be ≤ 315360000 (ten years of seconds), got 10000000000000000`,
  },
  {
    what: '--runs 0',
    args: ['check', '--runs', '0'],
    status: 2,
    stderr: 'rollout-sim: --runs: expected an integer 1..10000000, got "0"',
  },
  {
    what: 'compare --runs beyond what compare keeps (was an internal error)',
    args: ['compare', '--preset', 'demo', '--variant', 'a', '--variant', 'b', '--runs', '1e15'],
    status: 2,
    stderr: 'rollout-sim: --runs: expected an integer 1..100000, got "1e15"',
  },
  {
    what: 'compare --runs of 11 digits',
    args: ['compare', '--variant', 'a', '--variant', 'b', '--runs', '99999999999'],
    status: 2,
    stderr: 'rollout-sim: --runs: expected an integer 1..100000, got "99999999999"',
  },
  {
    what: "compare seeds past the run seed's range",
    args: ['compare', '--variant', 'a', '--variant', 'b', '--seed', '4294967295', '--runs', '2'],
    status: 2,
    stderr:
      "rollout-sim: --seed 4294967295 with --runs 2: the last run's seed would be 4294967296, past the largest seed 4294967295 (lower --seed or --runs)",
  },
  {
    what: 'a hexadecimal seed',
    args: ['run', '--seed', '0x10'],
    status: 2,
    stderr: 'rollout-sim: --seed: expected an integer 0..4294967295, got "0x10"',
  },
  {
    what: 'a seed in exponent notation',
    args: ['run', '--seed', '1e3'],
    status: 2,
    stderr: 'rollout-sim: --seed: expected an integer 0..4294967295, got "1e3"',
  },
  {
    what: 'a binary check seed',
    args: ['check', '--seed', '0b11'],
    status: 2,
    stderr: 'rollout-sim: --seed: expected an integer -2147483648..2147483647, got "0b11"',
  },
  {
    what: 'a count with a sign',
    args: ['run', '--hosts', '+5'],
    status: 2,
    stderr: 'rollout-sim: --hosts: expected an integer 1..1000000, got "+5"',
  },
  {
    what: "explore's --max-runs in exponent notation",
    args: ['explore', '--max-runs', '1e3'],
    status: 2,
    stderr: 'rollout-sim: --max-runs: expected an integer 1..10000000, got "1e3"',
  },
  {
    what: "compare's --workers 0",
    args: ['compare', '--variant', 'a', '--variant', 'b', '--workers', '0'],
    status: 2,
    stderr: 'rollout-sim: --workers: expected an integer 1..256, got "0"',
  },
  {
    what: '--workers 0',
    args: ['check', '--runs', '1', '--workers', '0'],
    status: 2,
    stderr: 'rollout-sim: --workers: expected an integer 1..256, got "0"',
  },
  {
    what: 'a --path run index past the most runs (fast-check would walk to it for minutes)',
    args: ['check', '--seed', '1', '--path', '999999999'],
    status: 2,
    stderr:
      'rollout-sim: --path: expected numbers below 10000000 (the first is a run index, and check makes at most 10000000 runs), got "999999999"',
  },
  {
    what: 'a --path that reproduces no run (was "over 0 runs … no invariant failed")',
    args: ['check', '--seed', '1', '--path', '0:1:9999999'],
    status: 1,
    stderr:
      'rollout-sim: --path 0:1:9999999: no case of --seed 1 is at this path (replay a path with the --seed and fleet flags it was printed with)',
  },
  {
    what: "a --path that leaves the shrink tree (was fast-check's error as an internal error)",
    args: ['check', '--seed', '1', '--path', `0${':1'.repeat(40)}`],
    status: 1,
    stderr: `rollout-sim: --path 0${':1'.repeat(40)}: no case of --seed 1 is at this path (replay a path with the --seed and fleet flags it was printed with)`,
  },
  {
    what: 'explore of a preset too large to run down every path (was 61 s for one path)',
    args: ['explore', '--preset', 'staged-10k', '--max-runs', '1'],
    status: 2,
    stderr:
      'rollout-sim: --preset staged-10k: 10,000 hosts, more than explore takes (at most 32: every path re-runs the whole fleet)',
  },
  {
    what: 'explore of a fleet file one host over the limit',
    args: ['explore', '--fleet', fleet33],
    status: 1,
    stderr: `rollout-sim: ${fleet33}: 33 hosts, more than explore takes (at most 32: every path re-runs the whole fleet)`,
  },
  {
    what: 'replay --check --verify (ran only --check)',
    args: ['replay', at('any.jsonl'), '--check', '--verify'],
    status: 2,
    stderr: 'rollout-sim: --check and --verify: choose one (run replay once with each to do both)',
  },
  {
    what: 'replay --verify --check, the other order',
    args: ['replay', at('any.jsonl'), '--verify', '--check'],
    status: 2,
    stderr: 'rollout-sim: --check and --verify: choose one (run replay once with each to do both)',
  },
  {
    what: 'check --merge with flags it would ignore',
    args: [
      'check',
      '--merge',
      at('s1.json'),
      at('s2.json'),
      '--runs',
      '7',
      '--preset',
      'demo',
      '--seed',
      '9',
      '--shard',
      '1/2',
    ],
    status: 2,
    stderr:
      'rollout-sim: --preset, --runs, --seed, --shard: not with --merge, which takes only the shard reports (and --json)',
  },
  {
    what: 'check --merge with one flag it would ignore',
    args: ['check', '--merge', at('s1.json'), '--invariant', 'dispatch.halt', '--json'],
    status: 2,
    stderr:
      'rollout-sim: --invariant: not with --merge, which takes only the shard reports (and --json)',
  },
  {
    what: 'paths rollout --policy (only the host machine has a policy)',
    args: ['paths', 'rollout', '--policy', 'halt', '--to', 'Active'],
    status: 2,
    stderr: 'rollout-sim: --policy: only for the host machine (the rollout machine has none)',
  },
  {
    what: 'a fleet file given twice (the first, a bad one, was dropped)',
    args: ['run', '--fleet', at('BAD.yaml'), '--fleet', fleetFile],
    status: 2,
    stderr: 'rollout-sim: --fleet given twice',
  },
  {
    what: 'a seed given twice',
    args: ['run', '--seed', '1', '--seed', '2'],
    status: 2,
    stderr: 'rollout-sim: --seed given twice',
  },
  {
    what: 'a seed given twice, once with =',
    args: ['check', '--seed=1', '--runs', '1', '--seed', '2'],
    status: 2,
    stderr: 'rollout-sim: --seed given twice',
  },
  {
    what: 'a profile given twice (a flag with choices)',
    args: ['run', '--profile', 'intent', '--profile', 'faithful'],
    status: 2,
    stderr: 'rollout-sim: --profile given twice',
  },
  {
    what: "report's -o given twice",
    args: ['report', at('T.jsonl'), '-o', at('a.html'), '-o', at('b.html')],
    status: 2,
    stderr: 'rollout-sim: --out given twice',
  },
  {
    what: 'a --set name given twice',
    args: ['run', '--set', 'halt_gate=true', '--set', 'halt_gate=false'],
    status: 2,
    stderr: 'rollout-sim: --set halt_gate given twice',
  },
  {
    what: 'a setting twice inside one --variant',
    args: ['compare', '--variant', 'a:halt_gate=true,halt_gate=false', '--variant', 'b'],
    status: 2,
    stderr: 'rollout-sim: --variant a: halt_gate given twice',
  },
  {
    what: '--version with an argument (printed the version and ignored it)',
    args: ['--version', 'extra'],
    status: 2,
    stderr: 'rollout-sim: --version: expected no other arguments, got "extra"',
  },
  {
    what: '--version after a command',
    args: ['run', '--version'],
    status: 2,
    stderr: 'rollout-sim: --version: expected no other arguments, got "run"',
  },
  {
    what: "explore --hosts 1: the 2 waves are the default, not the user's --waves",
    args: ['explore', '--hosts', '1'],
    status: 2,
    stderr: 'rollout-sim: --hosts 1 allows at most 1 wave (--waves defaults to 2)',
  },
  {
    what: "explore --hosts 1 --waves 2: the user's own --waves",
    args: ['explore', '--hosts', '1', '--waves', '2'],
    status: 2,
    stderr: 'rollout-sim: --waves: expected an integer 1..1, got "2"',
  },
  {
    what: 'explore: too few hosts for the default waves on two channels',
    args: ['explore', '--hosts', '3', '--channels', '2'],
    status: 2,
    stderr:
      'rollout-sim: --hosts: 3 hosts cannot fill 2 waves on 2 channels (--waves defaults to 2)',
  },
  {
    what: 'a malformed --shard',
    args: ['check', '--seed', '1', '--shard', '3/2'],
    status: 2,
    stderr: 'rollout-sim: --shard: expected K/N with 1 ≤ K ≤ N (e.g. 2/8), got "3/2"',
  },
  {
    what: '--shard without --seed',
    args: ['check', '--shard', '1/2'],
    status: 2,
    stderr: 'rollout-sim: --shard: needs --seed, so that every shard checks the same cases',
  },
  {
    what: 'a generator rate with a preset',
    args: ['run', '--preset', 'demo', '--drop-rate', '0.1'],
    status: 2,
    stderr:
      'rollout-sim: --drop-rate: only for a generated fleet (--hosts/--waves/--channels), not with --preset',
  },
  {
    what: 'a generator flag with a fleet file',
    args: ['run', '--fleet', fleetFile, '--soak', '2'],
    status: 2,
    stderr:
      'rollout-sim: --soak: only for a generated fleet (--hosts/--waves/--channels), not with --fleet',
  },
  {
    what: 'a directory as a trace to replay',
    args: ['replay', dir, '--no-ui'],
    status: 1,
    stderr: `rollout-sim: ${dir}: cannot read: is a directory, not a file`,
  },
  {
    what: 'a missing trace',
    args: ['replay', at('nope.jsonl'), '--no-ui'],
    status: 1,
    stderr: `rollout-sim: ${at('nope.jsonl')}: cannot read: no such file or directory (ENOENT)`,
  },
  {
    what: "check's --out a directory that is not there (checked before the runs)",
    args: ['check', '--runs', '1', '--out', at('no/such/dir')],
    status: 1,
    stderr: `rollout-sim: --out ${at('no/such/dir')}: no such file or directory (ENOENT)`,
  },
  {
    what: "explore's --out a file",
    args: ['explore', '--hosts', '2', '--waves', '1', '--out', fleetFile],
    status: 1,
    stderr: `rollout-sim: --out ${fleetFile}: is not a directory`,
  },
  {
    what: 'a report written over its own input (checked before the page is built)',
    args: ['report', fleetFile, '--out', fleetFile],
    status: 1,
    stderr: `rollout-sim: ${fleetFile}: cannot write the report: is also the input of the report: writing it would destroy that input`,
  },
  {
    what: "an audit's trace written over the log it audits",
    args: ['audit', fleetFile, '--trace', fleetFile],
    status: 1,
    stderr: `rollout-sim: ${fleetFile}: cannot write the trace: is also the input of the audit: writing it would destroy that input`,
  },
  {
    what: 'a missing trace to report on',
    args: ['report', at('nope.jsonl')],
    status: 1,
    stderr: `rollout-sim: ${at('nope.jsonl')}: cannot read: no such file or directory (ENOENT)`,
  },
  {
    what: 'a missing log to audit (said once)',
    args: ['audit', at('nope.jsonl')],
    status: 1,
    stderr: `rollout-sim: ${at('nope.jsonl')}: cannot read: no such file or directory (ENOENT)`,
  },
  {
    what: 'a missing variants file',
    args: ['compare', '--variants', at('nope.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('nope.yaml')}: cannot read: no such file or directory (ENOENT)`,
  },
  {
    what: 'a shard report that is not JSON, quoted on one line',
    args: ['check', '--merge', at('not-json.txt'), at('not-json.txt')],
    status: 1,
    stderr: `rollout-sim: ${at('not-json.txt')}: not valid JSON: Unexpected token 'o', "not json\\n" is not valid JSON`,
  },
  {
    what: 'a directory as the trace to write',
    args: ['run', '--trace', at('a-directory')],
    status: 1,
    stderr: `rollout-sim: ${at('a-directory')}: cannot write the trace: is a directory, not a file`,
  },
  {
    what: 'a trace in a missing directory',
    args: ['run', '--trace', at('no/such/dir.jsonl')],
    status: 1,
    stderr: `rollout-sim: ${at('no/such/dir.jsonl')}: cannot write the trace: no such file or directory (ENOENT)`,
  },
  {
    what: 'the trace is the fleet file',
    args: ['run', '--fleet', fleetFile, '--trace', `${dir}/./fleet-in.yaml`],
    status: 1,
    stderr: `rollout-sim: ${dir}/./fleet-in.yaml: cannot write the trace: is also the input of --fleet: writing it would destroy that input`,
  },
  {
    what: 'a gating host in a later wave',
    args: ['run', '--fleet', at('later-wave.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('later-wave.yaml')}: host_edges[0].gates: host "c" is in wave 1 of channel "stable", after wave 0 of "a" which it gates: "a" would wait for it forever`,
  },
  {
    what: 'a cycle of host edges',
    args: ['run', '--fleet', at('cycle.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('cycle.yaml')}: host_edges: cycle b → a → b: these hosts wait for each other, so the rollout never finishes`,
  },
  {
    what: 'a list as a YAML key (was a Node warning and the key ["[ a, b ]"])',
    args: ['run', '--fleet', at('list-key.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('list-key.yaml')}:1:3: a key must be a string, got a list`,
  },
  {
    what: 'a recursive YAML alias (was "Maximum call stack size exceeded")',
    args: ['run', '--fleet', at('recursive.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('recursive.yaml')}:1:8: a[0]: recursive alias *x: it is inside the &x it refers to`,
  },
  {
    what: 'a YAML alias bomb (billion laughs)',
    args: ['run', '--fleet', at('laughs.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('laughs.yaml')}:7:8: g[0]: aliases expand the file by more than 1,000,000 values (an alias bomb?)`,
  },
  {
    what: 'a host name YAML reads as another number (01 would have been the host "1")',
    args: ['run', '--fleet', at('number-key.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('number-key.yaml')}:11:31: hosts: key 01 reads as the number 1; quote it ("01") to keep it as written`,
  },
  {
    what: 'a list as a variant name in a variants file',
    args: ['compare', '--variants', at('variants-list-key.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('variants-list-key.yaml')}:2:5: variants: a key must be a string, got a list`,
  },
  {
    what: 'an escape sequence in the fleet name (was printed raw by the summary)',
    args: ['run', '--fleet', at('escape-name.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('escape-name.yaml')}: name: must not contain control characters, got "demo\\u001b[2J\\u001b[31m"`,
  },
  {
    what: 'an escape sequence in a ref of a JSON fleet',
    args: ['run', '--fleet', at('escape-ref.json')],
    status: 1,
    stderr: `rollout-sim: ${at('escape-ref.json')}: channels.stable.initial_ref: must not contain control characters, got "r1\\u001b[31m"`,
  },
  {
    what: 'a C1 control (U+009B, CSI) in a ref (was run and printed raw)',
    args: ['run', '--fleet', at('c1-ref.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('c1-ref.yaml')}: channels.stable.initial_ref: must not contain control characters, got "r1\\u009b2J"`,
  },
  {
    what: 'a ref of 2,000 characters (a 40 MB one made a 2.3 GB trace)',
    args: ['run', '--fleet', at('long-ref.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('long-ref.yaml')}: channels.stable.initial_ref: a ref of 2,000 characters is too long (at most 1024)`,
  },
  {
    what: 'a host name of 254 characters',
    args: ['run', '--fleet', at('long-host.yaml')],
    status: 1,
    // The name is shown by its start: a name of a megabyte made a megabyte-long line.
    stderr: `rollout-sim: ${at('long-host.yaml')}: hosts["${'h'.repeat(60)}"… (254 characters)]: a host name of 254 characters is too long (at most 253)`,
  },
  {
    what: 'a !!set (was read as an empty mapping)',
    args: ['run', '--fleet', at('tag-set.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('tag-set.yaml')}:1:17: channels: tag !!set is not supported: a fleet file holds mappings, lists, strings, numbers, true/false and null`,
  },
  {
    what: 'a custom tag (its mapping was dropped)',
    args: ['run', '--fleet', at('tag-custom.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('tag-custom.yaml')}:11:19: hosts.a: tag !host is not supported: a fleet file holds mappings, lists, strings, numbers, true/false and null`,
  },
  {
    what: 'a second YAML document (was "please use YAML.parseAllDocuments()")',
    args: ['run', '--fleet', at('two-docs.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('two-docs.yaml')}:13:1: YAML syntax error: a fleet file holds one YAML document, and a second starts here`,
  },
  {
    what: 'a merge of a number (was without a line)',
    args: ['run', '--fleet', at('merge-number.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('merge-number.yaml')}:14:7: host_defaults2: a merge (<<) takes a mapping, an alias of one, or a list of them`,
  },
  {
    what: 'a lone surrogate escaped in a ref of a JSON fleet (was accepted)',
    args: ['run', '--fleet', at('surrogate-ref.json')],
    status: 1,
    stderr: `rollout-sim: ${at('surrogate-ref.json')}: channels.stable.initial_ref: must not contain a lone surrogate (\\ud800), which is no character`,
  },
  {
    what: 'a lone surrogate in a host name of a YAML fleet',
    args: ['run', '--fleet', at('surrogate-host.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('surrogate-host.yaml')}: hosts["a\\udc00"]: a key must not contain a lone surrogate (\\udc00), which is no character`,
  },
  {
    what: 'an escape sequence in a key of a variants file',
    args: ['compare', '--variants', at('escape-variants.yaml')],
    status: 1,
    stderr: `rollout-sim: ${at('escape-variants.yaml')}: variants.b["soak\\u001b[2J"]: a key must not contain control characters, got "soak\\u001b[2J"`,
  },
  {
    what: 'a duplicate key in a JSON fleet',
    args: ['run', '--fleet', at('dup.json')],
    status: 1,
    stderr: `rollout-sim: ${at('dup.json')}:2:2: duplicate key "channels" (JSON would keep only the last one)`,
  },
  {
    what: 'a nested duplicate key in a JSON fleet',
    args: ['run', '--fleet', at('dup-deep.json')],
    status: 1,
    stderr: `rollout-sim: ${at('dup-deep.json')}:1:41: duplicate key "name" in hosts.a.probes[0] (JSON would keep only the last one)`,
  },
  // An unset shell variable (`--trace "$OUT"`) named the file nothing: `: no such file`.
  {
    what: 'an empty file name for an option',
    args: ['run', '--trace', ''],
    status: 2,
    stderr: 'rollout-sim: --trace: expected a file name, got an empty string',
  },
  {
    what: 'an empty file name for an argument',
    args: ['replay', ''],
    status: 2,
    stderr: 'rollout-sim: <trace>: expected a file name, got an empty string',
  },
  {
    what: 'an empty value for a repeatable option',
    args: ['run', '--set', 'halt_gate=true', '--set', ''],
    status: 2,
    stderr: 'rollout-sim: --set: expected a value, got an empty string',
  },
  // A device or a stream has no size to check before reading: each of these was read
  // forever (or until V8's string limit, "internal error: Invalid string length").
  {
    what: 'an endless trace',
    args: ['replay', '/dev/zero', '--check'],
    status: 1,
    stderr: 'rollout-sim: /dev/zero:1: a line longer than 500 M characters: not a JSON Lines file',
  },
  {
    what: 'an endless event log',
    args: ['audit', '/dev/zero'],
    status: 1,
    stderr: 'rollout-sim: /dev/zero:1: a line longer than 500 M characters: not a JSON Lines file',
  },
  {
    what: 'an endless variants file',
    args: ['compare', '--variants', '/dev/zero'],
    status: 1,
    stderr: `rollout-sim: /dev/zero: cannot read: larger than 511 MB, the most this file may hold`,
  },
  {
    what: 'an endless report input',
    args: ['report', '/dev/zero', '--out', at('endless.html')],
    status: 1,
    stderr: 'rollout-sim: /dev/zero:1: a line longer than 500 M characters: not a JSON Lines file',
  },
];

describe('bad input: one line, the right exit status, no stack trace, nothing written', () => {
  for (const c of CASES) {
    test(`${c.what}: exit ${c.status}`, () => {
      const r = runCli(c.args);
      expect(r.stderr).toBe(`${c.stderr}\n`);
      expect(r.status).toBe(c.status);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(STACK_TRACE);
    });
  }

  test.runIf(existsSync('/dev/zero'))('an endless fleet file (/dev/zero): exit 1', () => {
    const r = runCli(['run', '--fleet', '/dev/zero']);
    // The most a fleet file may hold depends on the heap: what parsing it would need.
    expect(r.stderr).toMatch(
      /^rollout-sim: \/dev\/zero: cannot read the file: larger than \d+ MB, the most this file may hold\n$/,
    );
    expect(r.status).toBe(1);
  });

  test('"-" as a file to write is refused, not written as a file called -', () => {
    for (const [args, what] of [
      [['run', '--trace', '-'], 'the trace'],
      [['report', join(REPO_ROOT, 'examples/fleet.yaml'), '--out', '-'], 'the report'],
    ] as const) {
      const r = runCli(args);
      expect(r.stderr).toBe(
        `rollout-sim: -: cannot write ${what}: standard output is not written to here: name a file (./- for one called -)\n`,
      );
      expect(r.status).toBe(1);
      expect(existsSync(join(REPO_ROOT, '-'))).toBe(false);
    }
  });

  test.runIf(existsSync('/proc/version'))(
    'a trace path the CLI cannot remove is not said to be removed',
    () => {
      const r = runCli(['run', '--trace', '/proc/version']);
      expect(r.stderr).toMatch(/^rollout-sim: \/proc\/version: cannot write the trace: [^\n]+\n$/);
      expect(r.stderr).not.toContain('removed');
      expect(r.status).toBe(1);
    },
  );

  test('the fleet file named as the trace is left as it was', () => {
    expect(readFileSync(fleetFile, 'utf8')).toBe(FLEET('[]'));
  });

  test.runIf(existsSync('/dev/full'))('a full device: one line in words, exit 1', () => {
    const r = runCli(['run', '--trace', '/dev/full']);
    expect(r.stderr).toBe(
      'rollout-sim: /dev/full: cannot write the trace: the device is full (ENOSPC)\n',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    // A device is never removed, only regular files are.
    expect(existsSync('/dev/full')).toBe(true);
  });
});

/** Whether `mkfifo` made `path` (it is not on every system the tests run on). */
function madeFifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}

describe('inputs that are not regular files: refused by their kind, before they are opened', () => {
  // Opening a FIFO nobody writes waits for a writer: each of these hung, saying nothing.
  const fifo = at('fifo');
  const haveFifo = madeFifo(fifo);
  const COMMANDS: readonly (readonly string[])[] = [
    ['run', '--fleet', fifo],
    ['replay', fifo],
    ['replay', fifo, '--check'],
    ['report', fifo, '--out', at('fifo.html')],
    ['audit', fifo],
    ['diagram', 'rollout', '--format', 'svg', '--highlight', '--trace', fifo],
    ['compare', '--variants', fifo],
    ['explore', '--fleet', fifo],
    ['check', '--merge', fifo, fifo],
  ];
  for (const args of COMMANDS)
    test.runIf(haveFifo)(`a FIFO: ${args.join(' ')}`, () => {
      const r = runCli(args);
      expect(r.stderr).toBe(`rollout-sim: ${fifo}: not a regular file (a FIFO)\n`);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
    });

  test('a socket', async () => {
    const path = at('socket');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      for (const args of [
        ['run', '--fleet', path],
        ['replay', path],
      ]) {
        const r = runCli(args);
        expect(r.stderr).toBe(`rollout-sim: ${path}: not a regular file (a socket)\n`);
        expect(r.status).toBe(1);
      }
    } finally {
      server.close();
    }
  });

  test.runIf(existsSync('/dev/null'))('/dev/null is still read, as an empty file', () => {
    const fleet = runCli(['run', '--fleet', '/dev/null']);
    expect(fleet.stderr).toBe(
      'rollout-sim: /dev/null: expected a mapping at the top level (channels, rollout_policies, hosts, …), got an empty document\n',
    );
    expect(fleet.status).toBe(1);
    const trace = runCli(['replay', '/dev/null']);
    expect(trace.stderr).toBe(
      'rollout-sim: /dev/null: empty file, expected a rollout-sim-trace/1 header\n',
    );
    expect(trace.status).toBe(1);
  });
});

/** The CLI with its standard input or output on a file opened as `flags` gives it. */
function withStdio(args: readonly string[], stdin: string, stdout: string) {
  const fds = [openSync(stdin, 'r'), openSync(stdout, 'w')];
  try {
    return spawnSync(process.execPath, ['bin/rollout-sim.js', ...args], {
      cwd: REPO_ROOT,
      stdio: [fds[0], fds[1], 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

describe('standard input and output that cannot be used', () => {
  test.runIf(existsSync('/dev/full'))(
    'standard output on a full device: one line in words, exit 1, for any verb (was "internal error: ENOSPC")',
    () => {
      for (const args of [['run'], ['diagram', 'rollout'], ['--version'], ['run', '--json']]) {
        const r = withStdio(args, '/dev/null', '/dev/full');
        expect(r.stderr).toBe(
          'rollout-sim: cannot write standard output: the device is full (ENOSPC)\n',
        );
        expect(r.status).toBe(1);
      }
    },
  );

  test('a directory as standard input to step: one line, exit 1 (was no answer, exit 0)', () => {
    const r = withStdio(['step'], dir, '/dev/null');
    expect(r.stderr).toBe(
      'rollout-sim: standard input: a directory, expected JSON Lines of step inputs\n',
    );
    expect(r.status).toBe(1);
  });
});

describe('large and special inputs', () => {
  test('--hosts 200000 generates its fleet (no stack overflow)', () => {
    const r = runCli(['run', '--hosts', '200000', '--until', '1s', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      fleet: 'generated-200000h-3w-1c',
      ended: 'horizon',
    });
  });

  test('--version prints the version from package.json', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const args of [['--version'], ['-V'], ['--debug', '--version']]) {
      const r = runCli(args);
      expect(r.stdout).toBe(`${version}\n`);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });
});
