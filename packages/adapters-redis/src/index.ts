// The public API of @message-center/adapters-redis: the core's Notifier over Redis pub/sub.
export { DEFAULT_CHANNEL_PREFIX, RedisNotifier, type RedisNotifierOptions } from './redis-notifier.js';
