// Tells systemd (Type=notify) how the service is doing: READY=1 once the coordinator is up and
// the store open, STATUS= text, WATCHDOG=1 pings, STOPPING=1 at shutdown. Without NOTIFY_SOCKET
// (not under systemd, or Type=simple) every call does nothing.
//
// Node has no unix datagram sockets, so each message is sent by running `systemd-notify`
// (part of systemd itself, so present wherever NOTIFY_SOCKET is set) with --pid of this process;
// the unit sets NotifyAccess=all because the sender is that short-lived child. systemd-notify
// (v246+) waits on a BARRIER after its message, so it never exits before the manager has read
// it and the message is always attributed to our unit. A native datagram package (unix-dgram,
// as Zigbee2MQTT uses) would save the ~10 ms child per message, at the cost of a compiled addon
// on every gateway; at one ping every WatchdogSec/2 the child is cheap.
//
// The watchdog is an interval timer on the main event loop, so a loop that stalls (a tight
// loop, a blocking call) stops the pings and systemd restarts the service after WatchdogSec.

import { spawn } from 'node:child_process';
import type { Logger } from './logger.js';

/** Sends one notification (newline-separated VAR=VALUE assignments); resolves when sent. */
export type NotifySender = (assignments: string[]) => Promise<void>;

export interface ServiceNotifierOptions {
  env: NodeJS.ProcessEnv;
  pid: number;
  log: Logger;
  /** systemd-notify by default; a test can pass its own. */
  send?: NotifySender;
}

export interface ServiceNotifier {
  /** Whether NOTIFY_SOCKET is set (else every call is a no-op). */
  readonly enabled: boolean;
  /** The watchdog ping period, or undefined without WATCHDOG_USEC for this process. */
  readonly watchdogIntervalMs: number | undefined;
  ready(status: string): void;
  status(status: string): void;
  /** Starts the pings; each also carries the current status line when it changed. */
  startWatchdog(currentStatus?: () => string): void;
  stopping(): void;
}

export function createServiceNotifier(options: ServiceNotifierOptions): ServiceNotifier {
  const socket = options.env.NOTIFY_SOCKET;
  if (!socket) return disabledNotifier;
  return new SystemdNotifier(options, options.send ?? systemdNotifySender(options.pid, options.env));
}

const disabledNotifier: ServiceNotifier = {
  enabled: false,
  watchdogIntervalMs: undefined,
  ready: () => undefined,
  status: () => undefined,
  startWatchdog: () => undefined,
  stopping: () => undefined,
};

/** Half of WATCHDOG_USEC (systemd's advice), if the watchdog is meant for this process. */
export function watchdogIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 1000 / 2));
}

class SystemdNotifier implements ServiceNotifier {
  readonly enabled = true;
  readonly watchdogIntervalMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastStatus: string | undefined;
  private warned = false;
  private isReady = false;
  private isStopping = false;
  private pingsInFlight = 0;

  constructor(
    private readonly options: ServiceNotifierOptions,
    private readonly sendRaw: NotifySender,
  ) {
    this.watchdogIntervalMs = watchdogIntervalMs(options.env, options.pid);
  }

  ready(status: string): void {
    this.isReady = true;
    this.lastStatus = status;
    this.send(['READY=1', `STATUS=${status}`]);
  }

  status(status: string): void {
    if (status === this.lastStatus) return;
    this.lastStatus = status;
    this.send([`STATUS=${status}`]);
  }

  startWatchdog(currentStatus?: () => string): void {
    if (this.watchdogIntervalMs === undefined || this.timer) return;
    this.timer = setInterval(() => {
      // A manager too slow to take the last ping (systemd-notify waits on its barrier) gets no
      // pile of waiting children; the next ping comes one interval later.
      if (this.pingsInFlight > 0) return;
      const status = currentStatus?.();
      const changed = status !== undefined && status !== this.lastStatus;
      if (changed) this.lastStatus = status;
      this.pingsInFlight++;
      this.send(['WATCHDOG=1', ...(changed ? [`STATUS=${status}`] : [])], () => this.pingsInFlight--);
    }, this.watchdogIntervalMs);
    // The pings must never be what keeps the process alive after the daemon stopped.
    this.timer.unref();
  }

  stopping(): void {
    if (this.isStopping) return;
    this.isStopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.send(['STOPPING=1', `STATUS=${this.isReady ? 'stopping' : 'stopping before ready'}`]);
  }

  private send(assignments: string[], done?: () => void): void {
    this.sendRaw(assignments)
      .catch((error: unknown) => {
        // Once: a missing systemd-notify would otherwise log at every ping.
        if (this.warned) return;
        this.warned = true;
        this.options.log.warn('cannot notify systemd', { error: error instanceof Error ? error.message : String(error) });
      })
      .finally(done);
  }
}

function systemdNotifySender(pid: number, env: NodeJS.ProcessEnv): NotifySender {
  return (assignments) =>
    new Promise((resolve, reject) => {
      // Killed if the manager never answers its barrier: a stuck child must not live on.
      const child = spawn('systemd-notify', [`--pid=${pid}`, ...assignments], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`systemd-notify ${signal ? `killed by ${signal}` : `exited ${code}`}: ${stderr.trim().slice(0, 200)}`)),
      );
    });
}
