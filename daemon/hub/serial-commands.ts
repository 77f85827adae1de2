// The one command path's ordering: commands from every front door (cloud, LAN, later
// automations) for the same device run one after another, in arrival order; commands for
// different devices (and hub-wide ones) do not wait for each other.
import type { CommandExecution, CommandExecutor } from '../cloud/index.js';
import type { HubCommand } from '../domain/events.js';

export class SerialCommandExecutor implements CommandExecutor {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly inner: CommandExecutor) {}

  execute(command: HubCommand): Promise<CommandExecution> {
    // Keyed by the reference as given (ieee or name): the same device named two ways may run
    // concurrently; both are still valid commands and herdsman serialises the radio.
    const key = 'ieee' in command ? command.ieee.toLowerCase() : `hub:${command.kind}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.inner.execute(command));
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
