import { DEFAULT_MAX_MESSAGE_LENGTH } from '../messages/message-body.js';

export interface CoreConfig {
  /** Default size of a conversation history page. */
  readonly messagesToLoad: number;
  /** Code points per message body. */
  readonly maxMessageLength: number;
  readonly allowRegistration: boolean;
  readonly sessionTtlMs: number;
}

export const defaultCoreConfig: CoreConfig = {
  messagesToLoad: 15,
  maxMessageLength: DEFAULT_MAX_MESSAGE_LENGTH,
  allowRegistration: true,
  sessionTtlMs: 336 * 60 * 60 * 1000,
};
