// `hubctl watch`: a snapshot, then every event, one line each (or JSON); resumes from the last
// seq when the hub ends the stream for falling behind or restarting, and starts again from a
// snapshot when the hub lost a commit it had already shown (ABORTED).
import * as grpc from '@grpc/grpc-js';
import type { HubLanClient } from '../../daemon/lan/index.js';
import { LanCallError, watchCall, type Wire } from './calls.js';
import type { HubctlConfig } from './config-file.js';
import { EXIT, UsageError } from './exit.js';
import { eventLine } from './format.js';

export interface WatchIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  interrupted: Promise<void>;
}

/** Prints every event; reconnects and resumes from the last seq when the stream ends early. */
export async function watch(client: HubLanClient, config: HubctlConfig, count: number, json: boolean, io: WatchIo): Promise<number> {
  if (!(count > 0)) throw new UsageError('--count must be a positive number');
  const names = new Map<string, string>();
  let seen = 0;
  let resume = { after_seq: 0, epoch: '' };
  // Batches: one message per hub commit, so a burst of reports does not leave hubctl behind.
  const request = () => ({ ...resume, batch_events: true });
  let stop = false;
  void io.interrupted.then(() => (stop = true));
  for (;;) {
    const stream = watchCall(client, request(), config.token);
    const cancel = () => stream.cancel();
    void io.interrupted.then(cancel);
    const ended = await new Promise<grpc.ServiceError | undefined>((resolve) => {
      const print = (item: Wire) => {
        const line = json ? JSON.stringify(item) : eventLine(item, names);
        if (line !== undefined) io.stdout(line);
      };
      stream.on('data', (message: Wire) => {
        if (message['snapshot']) {
          for (const d of message['snapshot'].devices) names.set(d.ieee, d.name);
          resume = { after_seq: message['snapshot'].seq, epoch: message['snapshot'].epoch };
          print(message);
          return;
        }
        // A batch is printed as its events, one line (or JSON object {"event": ...}) each, as before batches.
        const events: Wire[] = message['events']?.events ?? (message['event'] ? [message['event']] : []);
        for (const event of events) {
          if (seen >= count) return;
          resume = { ...resume, after_seq: event['seq'] };
          const renamed = event['device_renamed'];
          if (renamed) names.set(renamed.ieee, renamed.name);
          print({ body: 'event', event });
          if (++seen >= count) stream.cancel();
        }
      });
      stream.on('error', (error: grpc.ServiceError) => resolve(error.code === grpc.status.CANCELLED ? undefined : error));
      stream.on('end', () => resolve(undefined));
    });
    if (stop || seen >= count) return EXIT.ok;
    // ABORTED: the hub lost a commit whose events it had sent; what was shown may not have happened.
    if (ended?.code === grpc.status.ABORTED) resume = { after_seq: 0, epoch: '' };
    const retryable = ended && (ended.code === grpc.status.RESOURCE_EXHAUSTED || ended.code === grpc.status.UNAVAILABLE || ended.code === grpc.status.ABORTED);
    if (!retryable) {
      if (ended) throw new LanCallError(ended.code, ended.details);
      return EXIT.ok;
    }
    io.stderr(resume.after_seq > 0 ? `stream ended (${ended.details}); resuming after seq ${resume.after_seq}` : `stream ended (${ended.details}); starting again from a snapshot`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

