// Commands from the platform: validate, skip expired ones, run each id at most once, one at a
// time in arrival order (so "on" then "off" reach the device in that order), and report every
// outcome as a command_result event through the outbox - never straight onto the stream, so
// a result survives a disconnect and is delivered like any other event.
import type { HubCommand, HubEvent } from '../domain/events.js';
import type { Clock } from './clock.js';
import { decodeCommand } from './command-codec.js';
import type { CommandIdLog } from './recent-ids.js';
import type { CommandExecution, CommandExecutor, EmitEvent, Logger } from './types.js';
import type { WireCommand } from './wire.js';

export type CommandOutcomeStatus = 'ok' | 'failed' | 'expired' | 'invalid' | 'duplicate' | 'timeout';

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
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: CommandRunnerOptions) {}

  /** Accepts a command off the wire; it runs after the ones received before it. */
  receive(wire: WireCommand): void {
    const decoded = decodeCommand(wire);
    const id = decoded.ok ? decoded.command.id : decoded.id;
    if (id !== '' && this.options.seenIds.has(id)) {
      // Already accepted once; its result is (or will be) in the outbox.
      this.options.log.debug('cloud command ignored: id already seen', { commandId: id });
      this.options.onOutcome({ commandId: id, status: 'duplicate' });
      return;
    }
    if (id !== '') this.options.seenIds.add(id);
    if (!decoded.ok) {
      this.options.log.warn('cloud command rejected', { commandId: id, error: decoded.error });
      void this.report({ commandId: id, status: 'invalid', error: decoded.error }, { ok: false, error: decoded.error });
      return;
    }
    const command = decoded.command;
    this.queue = this.queue.then(() => this.run(command));
  }

  /** Resolves when every accepted command has run and its result was handed to emit. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async run(command: HubCommand): Promise<void> {
    const { clock, log } = this.options;
    // Checked when the command's turn comes: it may have expired while queued.
    if (command.expiresAt !== undefined && clock.now() > command.expiresAt) {
      log.info('cloud command expired, not run', { commandId: command.id, kind: command.kind });
      await this.report({ commandId: command.id, status: 'expired', command, error: 'expired' }, { ok: false, error: 'expired' });
      return;
    }
    const execution = await this.executeWithTimeout(command);
    const status: CommandOutcomeStatus = execution.ok ? 'ok' : execution.error === 'timeout' ? 'timeout' : 'failed';
    log.info('cloud command done', { commandId: command.id, kind: command.kind, ok: execution.ok, error: execution.error });
    await this.report({ commandId: command.id, status, command, ...(execution.error ? { error: execution.error } : {}) }, execution);
  }

  private executeWithTimeout(command: HubCommand): Promise<CommandExecution> {
    const { clock, executor, timeoutMs } = this.options;
    return new Promise<CommandExecution>((resolve) => {
      const timer = clock.setTimeout(() => resolve({ ok: false, error: 'timeout' }), timeoutMs);
      const settle = (execution: CommandExecution) => {
        clock.clearTimeout(timer);
        resolve(execution);
      };
      let running: Promise<CommandExecution>;
      try {
        running = executor.execute(command);
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(settle, (error: unknown) => settle({ ok: false, error: errorMessage(error) }));
    });
  }

  private async report(outcome: CommandOutcome, execution: CommandExecution): Promise<void> {
    const event: HubEvent = {
      kind: 'command_result',
      commandId: outcome.commandId,
      ok: execution.ok,
      ...(execution.error !== undefined ? { error: execution.error } : {}),
      ...(execution.state !== undefined ? { state: execution.state } : {}),
    };
    try {
      await this.options.emit(event);
    } catch (error) {
      this.options.log.error('could not record cloud command result', { commandId: outcome.commandId, error: errorMessage(error) });
    }
    this.options.onOutcome(outcome);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
