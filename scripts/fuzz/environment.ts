// The system under fuzz: the virtual coordinator and the daemon as real child processes, the
// fuzzing platform in this process, one data dir. Built once and reused across many cases
// (start-up takes seconds); rebuilt from scratch only after something died.
import { resultIdFor } from './platform/result-id.js';
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonProcess, type LogLine } from '../lib/daemon-process.js';
import { CoordinatorProcess } from './coordinator-process.js';
import { DaemonLog, isRefusalLine, refusalCategory } from './daemon-log.js';
import { FuzzPlatform } from './platform.js';
import type { Tally } from './tally.js';

export const GATEWAY = 'fuzz-gateway';
/** Generous: the machine may be shared and loaded; a healthy hub answers in well under a second. */
export const DELIVERY_TIMEOUT_MS = 90_000;
/**
 * Waiting for the hub to reconnect: its backoff grows after streams that ended young (as
 * Welcome and Ack cases make them) up to 60 s, plus jitter.
 */
export const RECONNECT_TIMEOUT_MS = 150_000;
const PERMIT_JOIN_SECONDS = 254;

/** Catalogue devices joined at start: the sentinel carries the good reports, the rest are fuzz targets. */
export interface Devices {
  sentinel: string;
  weather: string;
  plug: string;
}

export class FuzzEnvironment {
  private permitJoinUntil = 0;
  private goodValue = 1500;
  private logLinesCounted = 0;

  private constructor(
    readonly dir: string,
    readonly vc: CoordinatorProcess,
    readonly platform: FuzzPlatform,
    public daemon: DaemonProcess,
    public log: DaemonLog,
    /** Emits 'line' for every daemon log line, across restarts. */
    private readonly logLines: EventEmitter,
    public devices: Devices,
    private readonly tally: Tally,
  ) {}

  static async start(tally: Tally): Promise<FuzzEnvironment> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zigbee-hubd-fuzz-'));
    const vc = await CoordinatorProcess.start(path.join(dir, 'stick.json'));
    const platform = await FuzzPlatform.start();
    const logLines = new EventEmitter().setMaxListeners(0);
    const daemon = startDaemon(dir, vc.port, platform.port, logLines);
    await daemon.ready();
    await platform.waitForConnection(DELIVERY_TIMEOUT_MS);
    const env = new FuzzEnvironment(dir, vc, platform, daemon, new DaemonLog(daemon), logLines, { sentinel: '', weather: '', plug: '' }, tally);
    env.devices = {
      sentinel: await env.joinCatalogue('aqara-weather'),
      weather: await env.joinCatalogue('aqara-weather'),
      plug: await env.joinCatalogue('aqara-plug'),
    };
    return env;
  }

  get daemonAlive(): boolean {
    return this.daemon.child.exitCode === null && this.daemon.child.signalCode === null;
  }

  /** What is wrong with the processes right now, if anything. */
  processProblems(): string[] {
    const problems: string[] = [];
    if (!this.daemonAlive) problems.push(`the daemon died (exit code ${this.daemon.child.exitCode}, signal ${this.daemon.child.signalCode}); last lines:\n${this.daemon.tail(15)}`);
    if (!this.vc.alive) problems.push(`the virtual coordinator died (${this.vc.exitDescription()})`);
    return problems;
  }

  /** The permit-join window is open for at least another minute (opened from the platform). */
  async ensurePermitJoin(): Promise<void> {
    if (Date.now() < this.permitJoinUntil - 60_000) return;
    const result = await this.command({ id: `fuzz-permit-${Date.now()}`, permit_join: { seconds: PERMIT_JOIN_SECONDS } });
    if (!result.ok) throw new Error(`permit join failed: ${result.error}`);
    this.permitJoinUntil = Date.now() + PERMIT_JOIN_SECONDS * 1000;
  }

  /** A case changed the permit-join window: the next join opens it again. */
  forgetPermitJoin(): void {
    this.permitJoinUntil = 0;
  }

  /** Sends a well-formed command and resolves with its result. */
  async command(wire: Parameters<FuzzPlatform['sendCommand']>[0], timeoutMs = DELIVERY_TIMEOUT_MS): Promise<{ ok: boolean; error?: string }> {
    const id = wire.id ?? '';
    const result = this.platform.waitForEvent((e) => e.event.kind === 'command_result' && e.event.commandId === resultIdFor(id), timeoutMs);
    this.platform.sendCommand(wire);
    try {
      const stored = await this.whileDaemonAlive(result);
      return stored.event as { ok: boolean; error?: string };
    } finally {
      this.platform.retire(id);
    }
  }

  /**
   * The good report: the sentinel device sends a new temperature; it must be stored in the
   * daemon's database and delivered to the platform. Returns what went wrong, if anything.
   */
  async goodReport(): Promise<string | undefined> {
    const processes = this.processProblems();
    if (processes.length > 0) return processes.join('\n');
    this.goodValue = this.goodValue >= 2999 ? 1500 : this.goodValue + 1;
    const raw = this.goodValue;
    const expected = raw / 100;
    const since = Date.now();
    const ieee = this.devices.sentinel;
    const delivered = this.platform.waitForEvent(
      (e) => e.receivedAt >= since && e.event.kind === 'state_changed' && e.event.ieee === ieee && e.event.state.temperature === expected,
      RECONNECT_TIMEOUT_MS, // delivery may wait for a reconnect
    );
    try {
      await this.vc.must({ cmd: 'report', ieee, endpoint: 1, cluster: 'msTemperatureMeasurement', attributes: { measuredValue: raw } });
      await this.whileDaemonAlive(delivered);
    } catch (error) {
      delivered.catch(() => undefined);
      return `a good report (temperature ${expected}) was not delivered to the platform: ${(error as Error).message}\n${this.processProblems().join('\n')}`;
    }
    const stored = this.storedState(ieee, 'temperature');
    if (stored !== expected) return `a good report (temperature ${expected}) reached the platform but the daemon's database holds ${String(stored)}`;
    return undefined;
  }

  /** Counts a refusal seen outside the daemon's log (e.g. a config check). */
  countRefusal(reason: string): void {
    this.tally.countRefusal(reason);
  }

  /** Counts refusal lines logged since the last call into the tally. */
  countRefusals(): void {
    const mark = this.logLinesCounted;
    for (const line of this.log.since(mark)) if (isRefusalLine(line)) this.tally.countRefusal(refusalCategory(line));
    this.logLinesCounted = this.log.mark();
    this.log.trim();
  }

  /** Resolves once the daemon's log lines since mark satisfy the condition (false after the timeout). */
  async daemonLogged(condition: (lines: LogLine[]) => boolean, mark: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.log.since(mark))) {
      if (Date.now() > deadline || !this.daemonAlive) return false;
      await this.nextLogLine(Math.max(1, deadline - Date.now()));
    }
    return true;
  }

  private nextLogLine(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.logLines.off('line', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.logLines.on('line', done);
    });
  }

  /** Rejects as soon as the daemon exits, so a crash is reported at once, not after a timeout. */
  whileDaemonAlive<T>(promise: Promise<T>): Promise<T> {
    const child = this.daemon.child;
    const died = () => new Error(`the daemon exited (code ${child.exitCode}, signal ${child.signalCode}); last lines:\n${this.daemon.tail(15)}`);
    if (!this.daemonAlive) {
      promise.catch(() => undefined);
      return Promise.reject(died());
    }
    return new Promise<T>((resolve, reject) => {
      const onExit = () => reject(died());
      child.once('exit', onExit);
      promise.then(
        (value) => {
          child.off('exit', onExit);
          resolve(value);
        },
        (error: unknown) => {
          child.off('exit', onExit);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * After a case killed the daemon: start it again on the same data dir. Returns false when
   * that does not give a working hub (the caller then builds a fresh environment).
   */
  async restartDaemon(): Promise<boolean> {
    if (!this.vc.alive) return false;
    await this.daemon.stop().catch(() => undefined);
    this.tally.daemonRestarts++;
    this.daemon = startDaemon(this.dir, this.vc.port, this.platform.port, this.logLines);
    this.log = new DaemonLog(this.daemon);
    this.logLinesCounted = 0;
    this.permitJoinUntil = 0;
    try {
      await this.daemon.ready();
      await this.platform.waitForConnection(RECONNECT_TIMEOUT_MS);
    } catch {
      return false;
    }
    return (await this.goodReport()) === undefined;
  }

  async stop(): Promise<void> {
    await this.daemon.stop().catch(() => undefined);
    await this.platform.stop();
    await this.vc.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async joinCatalogue(id: string): Promise<string> {
    await this.ensurePermitJoin();
    const reply = await this.vc.must({ cmd: 'join', device: id });
    const ieee = (reply.device as { ieee: string }).ieee;
    await this.whileDaemonAlive(
      this.platform.waitForEvent((e) => e.event.kind === 'device_interview' && e.event.ieee === ieee && e.event.status === 'successful', 120_000),
    );
    return ieee;
  }

  private storedState(ieee: string, key: string): unknown {
    const db = new Database(path.join(this.dir, 'data', 'hub.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT value FROM device_state WHERE ieee = ? AND key = ?').get(ieee, key) as { value: string } | undefined;
      return row ? JSON.parse(row.value) : undefined;
    } finally {
      db.close();
    }
  }
}

function startDaemon(dir: string, coordinatorPort: number, platformPort: number, lines: EventEmitter): DaemonProcess {
  return DaemonProcess.start({
    dir,
    onLog: (line) => lines.emit('line', line),
    config: {
      data_dir: './data',
      serial: { path: `tcp://127.0.0.1:${coordinatorPort}`, adapter: 'zstack' },
      cloud: { enabled: true, target: `127.0.0.1:${platformPort}`, insecure: true, gateway_id: GATEWAY },
      // Every refusal must be logged naming its device (a check after each case), also when the
      // fuzzer sends the same bad report many times a minute: no repeat limit.
      log: { level: 'info', format: 'json', max_repeats_per_minute: 0 },
      // Not under test here, and its fixed port (8443) would clash between two fuzz runs at once.
      lan: { enabled: false },
    },
  });
}
