// Test fixture: our ZigbeeNetwork (real zigbee-herdsman + converters) against the virtual
// coordinator over loopback TCP, with a recording logger and helpers to wait for events.
import { createHook } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DeviceDescription } from '../../daemon/domain/events.js';
import { ZigbeeNetwork } from '../../daemon/zigbee/zigbee-network.js';
import type { StartResult, ZigbeeLogger, ZigbeeNetworkEvents, ZigbeeNetworkOptions } from '../../daemon/zigbee/types.js';
import {
  startVirtualCoordinator,
  type VirtualCoordinator,
  type VirtualCoordinatorOptions,
} from '../../scripts/virtual-coordinator/coordinator.js';
import type { DeviceDefinition } from '../../scripts/virtual-coordinator/devices/definition.js';
import { formedStickNv, TEST_CREDENTIALS } from './formed-stick.js';

export { TEST_CREDENTIALS };

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  ns: string;
  msg: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps every line (and says whether debug is on, like daemon/ops' Logger). */
export function recordingLogger(debug = false, lines: LogLine[] = [], ns = 'test'): ZigbeeLogger & { lines: LogLine[] } {
  const write = (level: LogLine['level']) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, ns, msg, fields });
    if (process.env.ZB_DEBUG === '1') process.stderr.write(`${level} ${ns} ${msg} ${fields ? JSON.stringify(fields) : ''}\n`);
  };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (child) => recordingLogger(debug, lines, `${ns}:${child}`),
    isLevelEnabled: (level) => level !== 'debug' || debug,
  };
}

/** The part of a tap test these helpers need. */
interface TestLike {
  teardown(fn: () => unknown): void;
}

const cleanupStacks = new WeakMap<TestLike, Array<() => unknown>>();

/**
 * Runs cleanups last-in first-out in one teardown: a network registered after its data dir
 * is stopped before the dir is removed (tap runs separate teardowns first-in first-out).
 */
export function onCleanup(t: TestLike, fn: () => unknown): void {
  let stack = cleanupStacks.get(t);
  if (!stack) {
    const created: Array<() => unknown> = [];
    stack = created;
    cleanupStacks.set(t, created);
    t.teardown(async () => {
      while (created.length > 0) await created.pop()!();
    });
  }
  stack.push(fn);
}

/** A fresh temp dir removed after the test (after anything registered later has stopped). */
export function tempDir(t: TestLike): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zigbee-test-'));
  onCleanup(t, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Fixture {
  coordinator: VirtualCoordinator;
  network: ZigbeeNetwork;
  result: StartResult;
  log: ReturnType<typeof recordingLogger>;
  /** Stops the network, then the emulator. Safe to call twice. */
  stop(): Promise<void>;
}

export interface FixtureOptions {
  dataDir: string;
  coordinator?: VirtualCoordinatorOptions;
  debugLog?: boolean;
  network?: Partial<ZigbeeNetworkOptions>;
  /**
   * Start from a factory-fresh stick, so herdsman forms the network (its 'reset' path, 3 s
   * slower). By default the stick already holds the test network and herdsman resumes it.
   */
  blankStick?: boolean;
}

/** Starts emulator + network; stopped at the end of the test `t` unless stopped before. */
export async function startFixture(t: TestLike, options: FixtureOptions): Promise<Fixture> {
  const credentials = options.network?.network ?? { ...TEST_CREDENTIALS };
  const blank = options.blankStick === true || options.coordinator?.ieee !== undefined;
  const coordinator = await startVirtualCoordinator({
    ...(blank ? {} : { initialNv: await formedStickNv(credentials) }),
    ...options.coordinator,
  });
  const log = recordingLogger(options.debugLog ?? false);
  const network = new ZigbeeNetwork({
    serial: { path: `tcp://127.0.0.1:${coordinator.port}`, adapter: 'zstack' },
    network: credentials,
    dataDir: options.dataDir,
    log,
    ...options.network,
  });
  let result: StartResult;
  try {
    result = await network.start();
  } catch (error) {
    await coordinator.stop();
    throw error;
  }
  let stopped = false;
  const fixture: Fixture = {
    coordinator,
    network,
    result,
    log,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await network.stop();
      } finally {
        await coordinator.stop();
      }
    },
  };
  onCleanup(t, () => fixture.stop());
  return fixture;
}

/** Ref'd timers of this process: a stopped network must leave none behind (or exit hangs). */
export function activeTimers(): number {
  timerCensus.enable();
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Every timer made since the first activeTimers() call, with where it was made: a failing
 * "no timer left" check names the ones still pending (how long each was set for, and the
 * first frames of the code that set it), so a leak under load can be traced from one log. */
const timersMade = new Map<number, { timer: NodeJS.Timeout & { _idleTimeout?: number; _destroyed?: boolean }; made: string }>();
const timerCensus = createHook({
  init(asyncId, type, _trigger, resource) {
    if (type !== 'Timeout') return;
    const frames = (new Error().stack ?? '').split('\n').slice(1).map((l) => l.trim());
    const made = frames.filter((l) => !l.includes('(node:') && !l.includes('network-fixture')).slice(0, 5).join(' < ');
    timersMade.set(asyncId, { timer: resource as NodeJS.Timeout, made });
  },
  destroy(asyncId) {
    timersMade.delete(asyncId);
  },
});

/** The timers still pending and keeping the process alive, as text. */
export function pendingTimers(): string {
  const pending = [...timersMade.values()].filter(({ timer }) => !timer._destroyed && timer.hasRef());
  return pending.map(({ timer, made }) => `${timer._idleTimeout} ms timer made at ${made}`).join('\n') || '(none seen)';
}

/**
 * Active timers once those about to fire have fired: waits up to `graceMs` for the count to
 * fall to `limit`. A timer due within seconds does not keep the process alive for long: a
 * socket close, a last write, or a request herdsman had sent when the link dropped, which only
 * its own timeout ends (6 s for a Z-Stack SREQ, 10 s by default: on a loaded machine one was
 * still pending 5 s after stop). The leaks this guards against are herdsman's 254 s
 * permit-join and 30 s interview timers and our 30 s configure retry, which outlive the grace.
 */
export async function timersAfterStop(limit: number, graceMs = 12_000): Promise<number> {
  const deadline = Date.now() + graceMs;
  while (activeTimers() > limit && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return activeTimers();
}

/** Resolves with the first event of `kind` that passes `accept`; subscribe before acting. */
export function nextEvent<K extends keyof ZigbeeNetworkEvents>(
  network: ZigbeeNetwork,
  kind: K,
  accept: (event: ZigbeeNetworkEvents[K]) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<ZigbeeNetworkEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${String(kind)}'`));
    }, timeoutMs);
    const off = network.on(kind, (event) => {
      if (!accept(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

/** Every event of `kind` from now on (for asserting that something did NOT happen). */
export function recordEvents<K extends keyof ZigbeeNetworkEvents>(network: ZigbeeNetwork, kind: K): Array<ZigbeeNetworkEvents[K]> {
  const events: Array<ZigbeeNetworkEvents[K]> = [];
  network.on(kind, (event) => events.push(event));
  return events;
}

/** Opens permit join, joins the device and waits for the end of its interview. */
export async function joinDevice(
  fixture: Fixture,
  device: string | DeviceDefinition,
): Promise<{ ieee: string; nwk: number; description: DeviceDescription; status: string }> {
  await fixture.network.permitJoin(254);
  const joined = fixture.coordinator.join(device);
  const interview = await nextEvent(
    fixture.network,
    'device_interview',
    (e) => e.ieee === joined.ieee && e.status !== 'in_progress',
  );
  return { ieee: joined.ieee, nwk: joined.nwk, description: interview.device!, status: interview.status };
}
