import { type ActionFunction, assign, type EventObject } from 'xstate';

/*
 * The machines' guards and actions are plain pure functions `(context, event, params)`.
 * These adapters hand the same functions to XState's `setup()`, so the XState machine and
 * the compiled step (compile.ts) run one implementation.
 */

// biome-ignore lint/suspicious/noExplicitAny: params differ per entry and are checked at each use
type Fn<C, E, R> = (context: C, event: E, params: any) => R;
type ParamsOf<F> = F extends (context: never, event: never, params: infer P) => unknown ? P : never;

export function xstateGuards<C, E extends EventObject, T extends Record<string, Fn<C, E, boolean>>>(
  table: T,
): { [K in keyof T]: (args: { context: C; event: E }, params: ParamsOf<T[K]>) => boolean } {
  return Object.fromEntries(
    Object.entries(table).map(([name, fn]) => [
      name,
      ({ context, event }: { context: C; event: E }, params: unknown) => fn(context, event, params),
    ]),
  ) as never;
}

export function xstateActions<
  C extends object,
  E extends EventObject,
  T extends Record<string, Fn<C, E, C>>,
>(
  table: T,
): {
  // biome-ignore lint/suspicious/noExplicitAny: the remaining slots are XState's own and unconstrained here
  [K in keyof T]: ActionFunction<C, E, E, ParamsOf<T[K]>, any, any, any, any, any>;
} {
  return Object.fromEntries(
    Object.entries(table).map(([name, fn]) => [
      name,
      assign(({ context, event }: { context: C; event: E }, params: unknown) =>
        fn(context, event, params),
      ),
    ]),
  ) as never;
}
