// The public API of @message-center/adapters-redis: the core's Notifier over Redis pub/sub, its Presence, and its rate limits counted in Redis.
export { DEFAULT_CHANNEL_PREFIX, RedisNotifier, type RedisNotifierOptions } from './redis-notifier.js';
export { DEFAULT_PRESENCE_PREFIX, RedisPresence, type RedisPresenceOptions } from './redis-presence.js';
export { DEFAULT_KEY_PREFIX, RedisRateLimiters, type RedisRateLimitersOptions } from './redis-rate-limiters.js';
