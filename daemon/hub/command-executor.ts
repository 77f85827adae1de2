// Commands from the cloud (and later the LAN) run here: validated against our device table,
// executed through the zigbee edge, answered with a result the caller can show a person.
import type { HubCommand } from '../domain/events.js';
import type { CommandExecution, CommandExecutor } from '../cloud/index.js';
import type { Store } from '../store/index.js';
import type { ZigbeeNetwork } from '../zigbee/index.js';

export class HubCommandExecutor implements CommandExecutor {
  constructor(
    private readonly network: ZigbeeNetwork,
    private readonly store: Store,
  ) {}

  async execute(command: HubCommand): Promise<CommandExecution> {
    try {
      switch (command.kind) {
        case 'set_state': {
          const device = this.store.devices.get(command.ieee) ?? this.store.devices.getByName(command.ieee);
          if (!device || device.leftAt !== undefined) return { ok: false, error: `unknown device ${JSON.stringify(command.ieee)}` };
          const state = await this.network.setState(device.ieee, command.state);
          return { ok: true, state };
        }
        case 'permit_join': {
          const seconds = await this.network.permitJoin(command.seconds);
          return { ok: true, state: { permit_join: seconds > 0, seconds } };
        }
        case 'remove_device': {
          const device = this.store.devices.get(command.ieee) ?? this.store.devices.getByName(command.ieee);
          if (!device) return { ok: false, error: `unknown device ${JSON.stringify(command.ieee)}` };
          await this.network.remove(device.ieee, { force: command.force === true });
          return { ok: true };
        }
        default:
          return { ok: false, error: `unknown command kind ${JSON.stringify((command as { kind: unknown }).kind)}` };
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
