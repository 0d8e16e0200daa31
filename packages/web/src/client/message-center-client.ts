import { ApiClient, type ApiClientOptions } from './api-client.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { RealtimeConnection, type RealtimeOptions } from './realtime.js';

export interface MessageCenterClientOptions extends ApiClientOptions {
  realtime?: RealtimeOptions;
  outbox?: OutboxOptions;
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

  constructor(options: MessageCenterClientOptions = {}) {
    this.api = new ApiClient(options);
    this.realtime = new RealtimeConnection(this.api, options.realtime);
    this.outbox = new Outbox(this.api, options.outbox);
    this.outbox.on('sent', ({ message }) => this.realtime.ingest([message]));
    this.realtime.on('status', (status) => {
      if (status === 'connected') this.outbox.retryTransient();
    });
  }
}
