// Commands from the platform: validate, skip expired ones, run each id at most once, one at a
// time in arrival order (so "on" then "off" reach the device in that order), and report every
// outcome as a command_result event through the outbox - never straight onto the stream, so
// a result survives a disconnect and is delivered like any other event.
//
// An id is recorded in the (persistent) id log when its command starts, and marked answered
// once its result is in the outbox. Until it starts it is only known here: a command still
// waiting when the link stops is dropped unrecorded, and the platform, which has no result for
// it, sends it again after the restart (see Command in cloud.proto).
import type { HubCommand, HubEvent } from '../domain/events.js';
import type { Clock, TimerHandle } from './clock.js';
import { decodeCommand } from './command-codec.js';
import type { CommandIdLog } from './recent-ids.js';
import type { CommandExecution, CommandExecutor, EmitEvent, Logger } from './types.js';
import type { WireCommand } from './wire.js';
import { cutText, MAX_ERROR_CHARS } from './wire-limits.js';

/**
 * 'interrupted': a re-send of a command that started before the hub restarted and has no
 * recorded result. 'not_run': still waiting when the link stopped; nothing is reported.
 */
export type CommandOutcomeStatus = 'ok' | 'failed' | 'expired' | 'invalid' | 'duplicate' | 'timeout' | 'interrupted' | 'not_run';

export const INTERRUPTED_ERROR = 'interrupted: the hub restarted while running this command';

export interface CommandOutcome {
  commandId: string;
  status: CommandOutcomeStatus;
  /** The validated command; absent for invalid ones. */
  command?: HubCommand;
  error?: string;
}

export interface CommandRunnerOptions {
  executor: CommandExecutor;
  emit: EmitEvent;
  seenIds: CommandIdLog;
  clock: Clock;
  log: Logger;
  /** A command still running after this long is reported as failed ("timeout"). */
  timeoutMs: number;
  onOutcome: (outcome: CommandOutcome) => void;
}

export class CommandRunner {
  /** Accepted and waiting for their turn, in arrival order. */
  private readonly waiting: HubCommand[] = [];
  /** Ids waiting or running here and not yet answered: a re-send of one is ignored. */
  private readonly inProgress = new Set<string>();
  /** Settles once the running command's result was handed to emit (at the latest after timeoutMs). */
  private reported: Promise<void> = Promise.resolve();
  private draining = false;
  /** Ids of queued commands whose result has been handed to report (cleared when each ends). */
  private readonly reportedIds = new Set<string>();
  private stopped = false;

  constructor(private readonly options: CommandRunnerOptions) {}

  /** Accepts a command off the wire; it runs after the ones received before it. */
  receive(wire: WireCommand): void {
    const decoded = decodeCommand(wire);
    const id = decoded.ok ? decoded.command.id : decoded.id;
    if (this.stopped) {
      // Not recorded: the platform sends it again once the hub is back.
      this.options.log.debug('cloud command ignored: link stopping', { commandId: id });
      return;
    }
    if (id !== '' && this.handledBefore(id)) return;
    if (!decoded.ok) {
      this.options.log.warn('cloud command rejected', { commandId: id, error: decoded.error });
      if (id !== '') this.options.seenIds.add(id);
      this.observe(this.report({ commandId: id, status: 'invalid', error: decoded.error }, { ok: false, error: decoded.error }));
      return;
    }
    this.inProgress.add(id);
    this.waiting.push(decoded.command);
    this.observe(this.drain());
  }

  /**
   * Stops taking commands: those still waiting are dropped without a result and without being
   * recorded (the platform re-sends them after the restart). Resolves when the running one, if
   * any, has reported - at the latest after its timeout, even if its execution hangs on.
   */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      for (const command of this.waiting.splice(0)) {
        this.inProgress.delete(command.id);
        this.options.log.info('cloud command not run: the link is stopping', { commandId: command.id, kind: command.kind });
        this.options.onOutcome({ commandId: command.id, status: 'not_run', command });
      }
    }
    return this.reported;
  }

  /** A re-sent id: ignored, or answered "interrupted" when it never got its result. */
  private handledBefore(id: string): boolean {
    const { log, seenIds, onOutcome } = this.options;
    if (!this.inProgress.has(id)) {
      const state = seenIds.state(id);
      if (state === undefined) return false;
      if (state === 'started') {
        // It was running when the hub went down: whether it took effect is unknown, but the
        // platform must not wait for an answer forever.
        log.warn('cloud command re-sent after it was interrupted by a restart', { commandId: id });
        this.observe(this.report({ commandId: id, status: 'interrupted', error: INTERRUPTED_ERROR }, { ok: false, error: INTERRUPTED_ERROR }));
        return true;
      }
    }
    // Waiting or running here, or answered: its result is (or will be) in the outbox.
    log.debug('cloud command ignored: id already seen', { commandId: id });
    onOutcome({ commandId: id, status: 'duplicate' });
    return true;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let command = this.waiting.shift(); command && !this.stopped; command = this.waiting.shift()) {
        try {
          await this.run(command);
        } catch (error) {
          await this.failUnexpectedly(command, error);
        } finally {
          this.reportedIds.delete(command.id);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** One unexpected throw: the queue goes on, and the platform still gets its answer. */
  private async failUnexpectedly(command: HubCommand, error: unknown): Promise<void> {
    this.options.log.error('cloud command failed unexpectedly', { commandId: command.id, kind: command.kind, error: errorMessage(error) });
    if (this.reportedIds.has(command.id)) return;
    const failure = `failed: ${errorMessage(error)}`;
    this.reported = this.report({ commandId: command.id, status: 'failed', command, error: failure }, { ok: false, error: failure });
    await this.reported;
  }

  /** A promise nobody awaits must still not become an unhandled rejection (it would end the hub). */
  private observe(promise: Promise<void>): void {
    promise.catch((error: unknown) => {
      try {
        this.options.log.error('cloud command handling failed unexpectedly', { error: errorMessage(error) });
      } catch {
        // The logger itself failed: nothing left to tell.
      }
    });
  }

  /** Resolves when the command's execution has really ended, not merely timed out. */
  private async run(command: HubCommand): Promise<void> {
    const { clock, log, seenIds } = this.options;
    // From here on it must never run again, also not after a restart.
    try {
      seenIds.add(command.id);
    } catch (error) {
      // Without the record a re-send after a restart would run it twice: do not run it.
      const failure = `not run: could not record the command id: ${errorMessage(error)}`;
      log.error('cloud command not run: its id could not be recorded', { commandId: command.id, error: errorMessage(error) });
      this.reported = this.report({ commandId: command.id, status: 'failed', command, error: failure }, { ok: false, error: failure });
      return this.reported;
    }
    // Checked when the command's turn comes: it may have expired while queued.
    if (command.expiresAt !== undefined && clock.now() > command.expiresAt) {
      log.info('cloud command expired, not run', { commandId: command.id, kind: command.kind });
      this.reported = this.report({ commandId: command.id, status: 'expired', command, error: 'expired' }, { ok: false, error: 'expired' });
      return this.reported;
    }
    const execution = this.execute(command);
    let timer: TimerHandle | undefined;
    const timeout = new Promise<CommandExecution>((resolve) => {
      timer = clock.setTimeout(() => resolve({ ok: false, error: 'timeout' }), this.options.timeoutMs);
    });
    const answer = Promise.race([execution, timeout]);
    this.reported = answer.then((result) => {
      clock.clearTimeout(timer);
      const status: CommandOutcomeStatus = result.ok ? 'ok' : result.error === 'timeout' ? 'timeout' : 'failed';
      return this.report({ commandId: command.id, status, command, ...(result.error ? { error: result.error } : {}) }, result);
    });
    await this.reported;
    const result = await answer;
    const error = result.error === undefined ? undefined : cutText(String(result.error), MAX_ERROR_CHARS);
    log.info('cloud command done', { commandId: command.id, kind: command.kind, ok: result.ok, error });
    // The timeout only answers early: the next command waits until this one has really ended,
    // or a late "on" could reach the device after the "off" that followed it.
    const ended = await execution;
    if ((await answer) !== ended) {
      log.warn('cloud command ended after it was reported as timed out', { commandId: command.id, kind: command.kind, ok: ended.ok, error: ended.error });
    }
  }

  /** The executor's outcome; never rejects. */
  private execute(command: HubCommand): Promise<CommandExecution> {
    try {
      return this.options.executor.execute(command).catch((error: unknown) => ({ ok: false, error: errorMessage(error) }));
    } catch (error) {
      return Promise.resolve({ ok: false, error: errorMessage(error) });
    }
  }

  private async report(outcome: CommandOutcome, execution: CommandExecution): Promise<void> {
    if (this.inProgress.has(outcome.commandId)) this.reportedIds.add(outcome.commandId);
    // Errors may quote whatever the platform sent (a 1 MB value): cut before it reaches the outbox.
    const error = execution.error === undefined ? undefined : cutText(String(execution.error), MAX_ERROR_CHARS);
    if (outcome.error !== undefined) outcome = { ...outcome, error: cutText(outcome.error, MAX_ERROR_CHARS) };
    const event: HubEvent = {
      kind: 'command_result',
      commandId: outcome.commandId,
      ok: execution.ok,
      ...(error !== undefined ? { error } : {}),
      ...(execution.state !== undefined ? { state: execution.state } : {}),
    };
    try {
      await this.options.emit(event);
      // After the result: a crash in between leaves "started", and a re-send gets a second
      // (ignored) answer rather than none. Normally both commit in the same group.
      if (outcome.commandId !== '') this.options.seenIds.markAnswered(outcome.commandId);
    } catch (error) {
      this.options.log.error('could not record cloud command result', { commandId: outcome.commandId, error: errorMessage(error) });
    } finally {
      this.inProgress.delete(outcome.commandId);
      this.options.onOutcome(outcome);
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
