// A bare gateway-side stream for testing the reference cloud at the protocol level: send any
// HubMessage, await CloudMessages, see how the stream ended.
import * as grpc from '@grpc/grpc-js';
import { createHubLinkClient, type HubLinkCall } from '../../../daemon/cloud/proto.js';
import type { CloudMessage, HubMessage } from '../../../daemon/cloud/wire.js';

export class RawHub {
  readonly received: CloudMessage[] = [];
  readonly closed: Promise<grpc.StatusObject>;
  private readonly client: grpc.Client;
  private readonly call: HubLinkCall;
  private waiters: Array<{ match: (m: CloudMessage) => boolean; resolve: (m: CloudMessage) => void }> = [];

  constructor(port: number, metadata = new grpc.Metadata()) {
    const client = createHubLinkClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    this.client = client;
    this.call = client.Connect(metadata);
    this.call.on('data', (message: CloudMessage) => {
      this.received.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    this.call.on('error', () => undefined); // the status arrives on 'status'
    this.closed = new Promise((resolve) => this.call.on('status', resolve));
  }

  send(message: HubMessage): void {
    this.call.write(message);
  }

  /** The first message (already received or coming) that matches. */
  next(match: (m: CloudMessage) => boolean, timeoutMs = 5000): Promise<CloudMessage> {
    const found = this.received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('RawHub: no matching message')), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}
