// `hubctl watch`: a snapshot, then every event, one line each (or JSON); resumes from the last
// seq when the hub ends the stream for falling behind or restarting.
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
  let stop = false;
  void io.interrupted.then(() => (stop = true));
  for (;;) {
    const stream = watchCall(client, resume, config.token);
    const cancel = () => stream.cancel();
    void io.interrupted.then(cancel);
    const ended = await new Promise<grpc.ServiceError | undefined>((resolve) => {
      stream.on('data', (item: Wire) => {
        if (item['snapshot']) {
          for (const d of item['snapshot'].devices) names.set(d.ieee, d.name);
          resume = { after_seq: item['snapshot'].seq, epoch: item['snapshot'].epoch };
        } else if (item['event']) {
          resume = { ...resume, after_seq: item['event'].seq };
          const renamed = item['event'].device_renamed;
          if (renamed) names.set(renamed.ieee, renamed.name);
        }
        const line = json ? JSON.stringify(item) : eventLine(item, names);
        if (line !== undefined) io.stdout(line);
        if (item['event'] && ++seen >= count) stream.cancel();
      });
      stream.on('error', (error: grpc.ServiceError) => resolve(error.code === grpc.status.CANCELLED ? undefined : error));
      stream.on('end', () => resolve(undefined));
    });
    if (stop || seen >= count) return EXIT.ok;
    const retryable = ended && (ended.code === grpc.status.RESOURCE_EXHAUSTED || ended.code === grpc.status.UNAVAILABLE);
    if (!retryable) {
      if (ended) throw new LanCallError(ended.code, ended.details);
      return EXIT.ok;
    }
    io.stderr(`stream ended (${ended.details}); resuming after seq ${resume.after_seq}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

