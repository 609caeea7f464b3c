/** Standard output, a line at a time. */
export const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** For repeatable options: `--set a=1 --set b=2`. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
