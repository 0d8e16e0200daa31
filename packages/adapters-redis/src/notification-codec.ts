import type { ClientEvent, Notification } from '@message-center/core';

/** What travels on the channel: the notification and the process that published it. */
export interface Envelope {
  readonly origin: string;
  readonly notification: Notification;
}

const VERSION = 1;

export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify({ v: VERSION, origin: envelope.origin, notification: envelope.notification });
}

/**
 * Anything on the channel that is not a well-formed envelope gives `undefined`.
 * The notification is rebuilt field by field, so nothing a stray publisher adds
 * reaches a client's socket.
 */
export function decodeEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || value.v !== VERSION || typeof value.origin !== 'string') return undefined;
  const notification = decodeNotification(value.notification);
  return notification && { origin: value.origin, notification };
}

function decodeNotification(value: unknown): Notification | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'event') {
    const event = decodeEvent(value.event);
    return event && isStringArray(value.userIds) ? { kind: 'event', userIds: [...value.userIds], event } : undefined;
  }
  if (value.kind === 'resync') return { kind: 'resync' };
  if (value.kind === 'end-sessions') {
    return isStringArray(value.sessionIds) ? { kind: 'end-sessions', sessionIds: [...value.sessionIds] } : undefined;
  }
  return undefined;
}

function decodeEvent(value: unknown): ClientEvent | undefined {
  if (!isRecord(value)) return undefined;
  if (value.type === 'message.created') {
    const { id, sender, recipient } = value;
    if (typeof id !== 'string' || typeof sender !== 'string' || typeof recipient !== 'string') return undefined;
    return { type: 'message.created', id, sender, recipient };
  }
  if (value.type === 'conversation.read') {
    const { reader, peer, lastReadId } = value;
    if (typeof reader !== 'string' || typeof peer !== 'string' || typeof lastReadId !== 'string') return undefined;
    return { type: 'conversation.read', reader, peer, lastReadId };
  }
  if (value.type === 'typing') {
    return typeof value.from === 'string' ? { type: 'typing', from: value.from } : undefined;
  }
  return undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
