export { ApiClient, type ApiClientOptions, type AuthMode, type HistoryQuery, type ListQuery } from './api-client.js';
export { ApiError, isApiError } from './api-error.js';
export { type BackoffOptions, backoffDelay } from './backoff.js';
export { compareIds, isGreater, maxId } from './ids.js';
export { MessageCenterClient, type MessageCenterClientOptions } from './message-center-client.js';
export { Outbox, type OutboxEntry, type OutboxStatus } from './outbox.js';
export { RealtimeConnection, type RealtimeEvents, type RealtimeOptions } from './realtime.js';
export type * from './types.js';
