import type { CoreConfig } from '@message-center/core';
import type { ServerConfig } from '../config.js';

export function coreConfigOf(config: ServerConfig): CoreConfig {
  return {
    messagesToLoad: config.messagesToLoad,
    maxMessageLength: config.maxMessageLength,
    allowRegistration: config.allowRegistration,
    sessionTtlMs: Math.round(config.sessionTtlHours * 60 * 60 * 1000),
  };
}
