// Owns the daemon's life as a process: start it, keep it running until SIGTERM/SIGINT or a
// crash, stop it in order, and always end with a meaningful exit code:
//  - a signal asks for an orderly stop (exit 0);
//  - a second signal while stopping means "now": exit 128+signal at once;
//  - a stop that outlasts the grace period is cut short (exit 70), so systemd never has to
//    SIGKILL us and a hung adapter close cannot wedge a restart;
//  - an uncaught exception or unhandled rejection is logged and turned into an orderly stop
//    with exit 1 (after such an error state is suspect, but closing the database and the
//    serial port properly is still the best chance to keep data intact), with one exception:
//  - per origin (the `crash` policy, ops/crash-marker.ts): an unhandled rejection whose stack
//    lies in device-handling code (zigbee-herdsman's controller and device model, not its
//    adapter; the converters; our daemon/zigbee) while the zigbee edge is handling a device
//    is that device's failure: it is logged, counted against the device (repeats quarantine
//    it) and the hub keeps running, radio and store untouched. A rejection from anywhere else
//    (store, cloud link, ops, herdsman's adapter) and every uncaught exception still stop the
//    process; when such a crash happens inside a device's handling, a crash marker names the
//    device and the stage, and the next start quarantines that device instead of dying the
//    same way again (no crash loop).
// The process is a parameter so a test can run this in a real child process and signal it.

import os from 'node:os';
import type { Logger } from './logger.js';

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 64,
  SHUTDOWN_TIMEOUT: 70,
  CONFIG: 78,
} as const;

/** The parts of `process` the lifecycle uses. */
export interface ProcessLike {
  on(event: string, listener: (arg: unknown) => void): unknown;
  removeListener(event: string, listener: (arg: unknown) => void): unknown;
  exit(code: number): void;
}

export interface Stoppable {
  stop(): Promise<void>;
}

/** Decides per origin what an escaped failure means (ops/crash-marker.ts's CrashRecorder). */
export interface CrashPolicy {
  /** The device a rejection belongs to (then contained: the process goes on), or undefined. */
  containRejection(reason: unknown): { ieee: string; stage: string } | undefined;
  /** Synchronously records the device being handled at a crash, if the failure is a device's. */
  recordCrash(error: unknown): { ieee: string; stage: string } | undefined;
}

export interface LifecycleOptions {
  proc: ProcessLike;
  log: Logger;
  /** Starts the daemon; what it returns is stopped at shutdown. */
  start: () => Promise<Stoppable>;
  /** Budget for the whole shutdown (including waiting for a start still in progress). */
  graceMs: number;
  signals?: readonly NodeJS.Signals[];
  /** Without it every escaped failure stops the process. */
  crash?: CrashPolicy;
}

/**
 * Runs the daemon until it is told to stop or crashes, then calls `proc.exit(code)`.
 * Resolves with the exit code (useful only when `proc.exit` does not end the process).
 */
export function superviseDaemon(options: LifecycleOptions): Promise<number> {
  return new Supervisor(options).run();
}

class Supervisor {
  private started = false;
  private shutdownRequested = false;
  private exitCode: number = EXIT.OK;
  private finished = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private wakeForShutdown: () => void = () => undefined;
  private readonly shutdownWanted = new Promise<void>((resolve) => (this.wakeForShutdown = resolve));
  private resolveExit: (code: number) => void = () => undefined;
  private readonly exited = new Promise<number>((resolve) => (this.resolveExit = resolve));
  private readonly listeners: Array<[string, (arg: unknown) => void]> = [];

  constructor(private readonly options: LifecycleOptions) {}

  run(): Promise<number> {
    this.install();
    void this.lifecycle();
    return this.exited;
  }

  private install(): void {
    for (const signal of this.options.signals ?? ['SIGTERM', 'SIGINT']) {
      this.listen(signal, () => this.onSignal(signal));
    }
    this.listen('uncaughtException', (error) => this.onCrash('uncaught exception', error));
    this.listen('unhandledRejection', (reason) => this.onRejection(reason));
  }

  private listen(event: string, listener: (arg: unknown) => void): void {
    this.options.proc.on(event, listener);
    this.listeners.push([event, listener]);
  }

  private async lifecycle(): Promise<void> {
    const { log } = this.options;
    let daemon: Stoppable;
    try {
      daemon = await this.options.start();
    } catch (error) {
      log.error('start failed', { err: error });
      return this.finish(EXIT.FAILURE);
    }
    this.started = true;
    if (this.finished) return;
    if (this.shutdownRequested) {
      log.info('start finished; stopping as requested');
    } else {
      log.info('running');
      await this.shutdownWanted;
    }
    try {
      await daemon.stop();
      log.info('stopped', { exitCode: this.exitCode });
    } catch (error) {
      log.error('stop failed', { err: error });
      this.exitCode = EXIT.FAILURE;
    }
    this.finish(this.exitCode);
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.finished) return;
    if (this.shutdownRequested) {
      this.options.log.warn(`second ${signal} during shutdown: exiting now`);
      this.finish(128 + (os.constants.signals[signal] ?? 0));
      return;
    }
    this.requestShutdown(`received ${signal}`, EXIT.OK);
  }

  private onRejection(reason: unknown): void {
    if (this.finished) return;
    const device = this.askPolicy('containRejection', reason);
    if (device) {
      this.options.log.error("unhandled promise rejection in a device's handling; counted against the device, still running", {
        err: reason,
        ieee: device.ieee,
        stage: device.stage,
      });
      return;
    }
    this.onCrash('unhandled promise rejection', reason);
  }

  private onCrash(what: string, error: unknown): void {
    if (this.finished) return;
    this.options.log.error(`${what}; shutting down`, { err: error });
    const device = this.askPolicy('recordCrash', error);
    if (device) this.options.log.warn('crash while handling a device: it will be quarantined at the next start', { ieee: device.ieee, stage: device.stage });
    this.requestShutdown(what, EXIT.FAILURE);
  }

  /** The policy must never turn one failure into two: its own failure counts as "no device". */
  private askPolicy(question: keyof CrashPolicy, error: unknown): { ieee: string; stage: string } | undefined {
    try {
      return this.options.crash?.[question](error);
    } catch (policyError) {
      this.options.log.error('crash policy failed', { question, err: policyError });
      return undefined;
    }
  }

  private requestShutdown(reason: string, exitCode: number): void {
    if (exitCode !== EXIT.OK) this.exitCode = exitCode;
    if (this.shutdownRequested) return;
    this.shutdownRequested = true;
    const { graceMs, log } = this.options;
    log.info(this.started ? 'shutting down' : 'shutting down once start has finished', { reason, graceMs });
    // Deliberately not unref'd: it must also fire if the stop is stuck on a promise that
    // nothing will ever settle (an empty event loop would otherwise exit with code 0).
    this.graceTimer = setTimeout(() => {
      log.error('shutdown did not finish in time; exiting anyway', { graceMs });
      this.finish(EXIT.SHUTDOWN_TIMEOUT);
    }, graceMs);
    this.wakeForShutdown();
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.graceTimer);
    for (const [event, listener] of this.listeners) this.options.proc.removeListener(event, listener);
    this.resolveExit(code);
    this.options.proc.exit(code);
  }
}
