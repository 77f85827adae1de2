// Builds a CloudLink against a running reference cloud with test-friendly timings, plus the
// in-memory outbox, a recording executor and a captured log. Callers stop it in teardown.
import type { HubCommand, HubEvent } from '../../../daemon/domain/events.js';
import { CloudLink, type CloudLinkEvents, type CloudLinkOptions } from '../../../daemon/cloud/link.js';
import type { CommandExecution } from '../../../daemon/cloud/types.js';
import { CaptureLog } from './capture-log.js';
import { MemoryOutbox } from './memory-outbox.js';

export interface LinkFixture {
  link: CloudLink;
  outbox: MemoryOutbox;
  log: CaptureLog;
  /** Commands the executor was asked to run, in order. */
  executed: HubCommand[];
}

export function createLink(
  port: number,
  overrides: Partial<CloudLinkOptions> & { execute?: (command: HubCommand) => Promise<CommandExecution> } = {},
): LinkFixture {
  const outbox = new MemoryOutbox();
  const log = new CaptureLog();
  const executed: HubCommand[] = [];
  const { execute, ...options } = overrides;
  const link = new CloudLink({
    target: `127.0.0.1:${port}`,
    gatewayId: 'gw-test',
    firmwareVersion: '0.1.0-test',
    credentials: 'insecure-loopback',
    outbox,
    commands: {
      execute: async (command) => {
        executed.push(command);
        return execute ? execute(command) : { ok: true };
      },
    },
    emit: (event: HubEvent) => outbox.append(event),
    log,
    backoff: { initialMs: 20, maxMs: 200, healthyAfterMs: 60_000 },
    pingIntervalMs: 200,
    watchdogMs: 2_000,
    ...options,
  });
  return { link, outbox, log, executed };
}

export function stateEvent(ieee: string, value: number): HubEvent {
  return { kind: 'state_changed', ieee, state: { temperature: value, battery_low: false }, changed: ['temperature'] };
}

/** Resolves with the next payload of a link event. */
export function nextLinkEvent<K extends keyof CloudLinkEvents>(
  link: CloudLink,
  name: K,
  timeoutMs = 10_000,
): Promise<CloudLinkEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no '${name}' within ${timeoutMs} ms`))), timeoutMs);
    const off = link.on(name, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}
