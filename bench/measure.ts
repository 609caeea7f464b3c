/** Median nanoseconds per operation over `rounds` timed rounds of `ops` operations, after a warm-up. */
export function nsPerOp(run: () => number, ops: number, rounds = 7): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    const done = run();
    const elapsed = Number(process.hrtime.bigint() - start);
    if (done !== ops) throw new Error(`bench ran ${done} operations, expected ${ops}`);
    samples.push(elapsed / ops);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

export function row(name: string, ns: number, baseline: number): string {
  return `  ${name.padEnd(44)} ${ns.toFixed(0).padStart(8)} ns/step   ${(ns / baseline).toFixed(1).padStart(6)}× bare`;
}
