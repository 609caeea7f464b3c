/** A mistake in how the command was called: one line on stderr, exit status 2. */
export class UsageError extends Error {}

/** Bad input data (files, lines, values) or an output that cannot be written: one line, exit 1. */
export class InputError extends Error {}
