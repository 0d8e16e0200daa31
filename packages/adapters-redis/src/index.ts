// The public API of @message-center/adapters-redis: the core's Notifier over Redis pub/sub, and its Presence.
export { DEFAULT_CHANNEL_PREFIX, RedisNotifier, type RedisNotifierOptions } from './redis-notifier.js';
export { DEFAULT_PRESENCE_PREFIX, RedisPresence, type RedisPresenceOptions } from './redis-presence.js';
