export { InputError, UsageError } from '../errors.ts';
