import { ApiClient, type ApiClientOptions } from './api-client.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { PresenceWatch } from './presence.js';
import { RealtimeConnection, type RealtimeOptions } from './realtime.js';
import { type TypingOptions, TypingWatch } from './typing.js';

export interface MessageCenterClientOptions extends ApiClientOptions {
  realtime?: RealtimeOptions;
  outbox?: OutboxOptions;
  typing?: TypingOptions;
}

/**
 * REST, the live connection and the outbox, wired so that everything a tab learns
 * (a send's answer, a notification, a catch-up) reaches listeners once, through
 * `realtime.on('message')`.
 */
export class MessageCenterClient {
  readonly api: ApiClient;
  readonly realtime: RealtimeConnection;
  readonly outbox: Outbox;
  /** Who is online among the users on screen. */
  readonly presence: PresenceWatch;
  /** Who is typing to this user, and `notify` to say this user is typing. */
  readonly typing: TypingWatch;

  constructor(options: MessageCenterClientOptions = {}) {
    this.api = new ApiClient(options);
    this.realtime = new RealtimeConnection(this.api, options.realtime);
    this.outbox = new Outbox(this.api, options.outbox);
    this.presence = new PresenceWatch(this.realtime);
    this.typing = new TypingWatch(this.realtime, options.typing);
    this.outbox.on('sent', ({ message }) => this.realtime.ingest([message]));
    this.realtime.on('status', (status) => {
      if (status === 'connected') this.outbox.retryTransient();
    });
  }
}
