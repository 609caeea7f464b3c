/** `1 line`, `0 lines`, `2 lines`: a count with its noun, singular only for one. */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
