import type { Message } from './messages.ts';

/** Someone with a mailbox: the world delivers each scheduled message by calling `receive`. */
export interface Actor {
  receive(message: Message): void;
}

/** Fixed addresses; agents follow, one per host in sorted host-name order. */
export const CONTROL_PLANE = 0;
export const PUBLISHER = 1;
export const OPERATOR = 2;
export const RETENTION = 3;
export const NETWORK = 4;
export const FIRST_AGENT = 5;
