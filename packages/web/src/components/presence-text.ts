import type { PresenceEntry } from '../client/types.js';

/** "online", "last seen 5 min ago", "offline": what a screen reader hears and the header shows. */
export function presenceText(entry: PresenceEntry | undefined, now = Date.now()): string {
  if (!entry) return '';
  if (entry.online) return 'online';
  if (!entry.lastSeenAt) return 'offline';
  return `last seen ${ago(new Date(entry.lastSeenAt).getTime(), now)}`;
}

function ago(then: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days} d ago`;
  return `on ${new Date(then).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}`;
}
