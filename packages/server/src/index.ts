// The public API of @message-center/server: the composition root for embedding,
// and the environment configuration of the standalone server.

export type { HostToken, HostUser } from '@message-center/core';
export { ContainerModule } from 'inversify';
export { ConfigError, loadConfig, type ServerConfig } from './config.js';
export { createMessageCenter, type HostIdentity, type MessageCenter, type MessageCenterOptions } from './message-center.js';
export type { NotifierOption } from './notifier-option.js';
export type { StorageAdapters, StorageOption } from './storage-option.js';
