// Commands from the cloud (and later the LAN) run here: validated against our device table,
// executed through the zigbee edge, answered with a result the caller can show a person.
// The device table is the product's source of truth for names and rooms; herdsman (through
// the zigbee edge) is the authority on what is paired, so lifecycle commands act on both.
import type { HubCommand } from '../domain/events.js';
import type { CommandExecution, CommandExecutor, CommandFailure } from '../cloud/index.js';
import { StoreError, type DeviceRecord, type Store } from '../store/index.js';
import { availabilityOptionProblem, splitAvailabilityOptions } from './availability-options.js';
import { executeGroupCommand } from './group-commands.js';
import { GroupStateFollower } from './group-state.js';
import { executeSceneCommand } from './scene-commands.js';
import { executeBindingCommand } from './binding-commands.js';
import { ZigbeeError, type ZigbeeNetwork } from '../zigbee/index.js';

export class HubCommandExecutor implements CommandExecutor {
  constructor(
    private readonly network: ZigbeeNetwork,
    private readonly store: Store,
    /** The one writer of group state (shared with device-sync, which tells it of member changes). */
    private readonly groupState = new GroupStateFollower({ store, memberKey: (ieee, key) => network.groups.memberKey(ieee, key) }),
  ) {}

  async execute(command: HubCommand): Promise<CommandExecution> {
    // Nothing it does could be recorded (state, names, results): refuse rather than act unrecorded.
    const storage = this.store.storageProblem();
    if (storage !== undefined) return { ok: false, error: `not run: the hub cannot store data right now: ${storage}` };
    try {
      switch (command.kind) {
        case 'set_state': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          if (device.leftAt !== undefined) return leftNetwork(device);
          const state = await this.network.setState(device.ieee, command.state);
          return { ok: true, state };
        }
        case 'permit_join': {
          if (command.via === undefined) {
            const seconds = await this.network.permitJoin(command.seconds);
            return { ok: true, state: { permit_join: seconds > 0, seconds } };
          }
          const router = this.find(command.via);
          if (!router) return unknownDevice(command.via);
          if (router.leftAt !== undefined) return leftNetwork(router);
          // Whether it is a router is herdsman's to say (what it interviewed): refused there.
          const seconds = await this.network.permitJoin(command.seconds, router.ieee);
          return { ok: true, state: { permit_join: seconds > 0, seconds, via: router.ieee } };
        }
        case 'remove_device': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          return await this.remove(device, command.force === true);
        }
        case 'rename_device': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          // NameTakenError says which device holds the name: passed on as the error below.
          this.store.devices.rename(device.ieee, command.name);
          return { ok: true };
        }
        case 'set_room': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          this.store.devices.setRoom(device.ieee, command.room);
          return { ok: true };
        }
        case 'reinterview_device': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          if (device.leftAt !== undefined) return leftNetwork(device);
          // The interview's events (stored by device-sync, the one writer of device rows) are
          // emitted before this resolves.
          await this.network.reinterview(device.ieee);
          return { ok: true };
        }
        case 'reconfigure_device': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          if (device.leftAt !== undefined) return leftNetwork(device);
          await this.network.reconfigure(device.ieee);
          return { ok: true };
        }
        case 'set_options': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          if (device.leftAt !== undefined) return leftNetwork(device);
          // The availability options are the hub's; the rest are the converters' (checked against the definition).
          const { hub, converters } = splitAvailabilityOptions(command.options);
          const problem = availabilityOptionProblem(hub);
          if (problem) return { ok: false, error: `${device.model ?? device.ieee}: ${problem}`, failure: 'invalid' };
          if (Object.keys(converters).length > 0) await this.network.checkOptions(device.ieee, converters);
          const options = { ...this.store.deviceOptions.get(device.ieee) };
          for (const [key, value] of Object.entries(command.options)) {
            if (value === null) delete options[key];
            else options[key] = value;
          }
          this.store.deviceOptions.set(device.ieee, options);
          return { ok: true, state: options };
        }
        case 'create_group':
        case 'delete_group':
        case 'rename_group':
        case 'add_group_member':
        case 'remove_group_member':
        case 'set_group_state':
          return await executeGroupCommand(command, this.network, this.store, this.groupState);
        case 'store_scene':
        case 'recall_scene':
        case 'remove_scene':
          return await executeSceneCommand(command, this.network, this.store);
        case 'bind':
        case 'configure_reporting':
          return await executeBindingCommand(command, this.network, this.store);
        case 'read_state': {
          const device = this.find(command.ieee);
          if (!device) return unknownDevice(command.ieee);
          if (device.leftAt !== undefined) return leftNetwork(device);
          // The fresh values are also stored (and sent as state_changed) by device-sync.
          const state = await this.network.readState(device.ieee, command.keys);
          return { ok: true, state };
        }
        case 'request_snapshot': {
          // Queued in the outbox before this result, so the result follows snapshot_ended.
          const { snapshotId, devices, groups } = this.store.snapshots.queue(`requested by command ${command.id}`);
          return { ok: true, state: { snapshot_id: snapshotId, devices, groups } };
        }
        default:
          return { ok: false, error: `unknown command kind ${JSON.stringify((command as { kind: unknown }).kind)}` };
      }
    } catch (error) {
      const failure = failureOf(error);
      return { ok: false, error: error instanceof Error ? error.message : String(error), ...(failure ? { failure } : {}) };
    }
  }

  /**
   * Leave request (or, forced, none), then the row goes with a device_removed event. A device
   * herdsman no longer knows (it left, or our table outlived a coordinator reset) cannot be
   * asked to leave: its row is removed either way.
   */
  private async remove(device: DeviceRecord, force: boolean): Promise<CommandExecution> {
    try {
      await this.network.remove(device.ieee, { force });
    } catch (error) {
      if (!(error instanceof ZigbeeError && error.code === 'unknown_device')) throw error;
    }
    // Usually device-sync already removed it on the network's device_left: then this is a no-op.
    this.store.devices.remove(device.ieee);
    return { ok: true };
  }

  /** By ieee or friendly name, including devices that left the network. */
  private find(ref: string): DeviceRecord | undefined {
    return this.store.devices.get(ref) ?? this.store.devices.getByName(ref);
  }
}

function unknownDevice(ref: string): CommandExecution {
  return { ok: false, error: `unknown device ${JSON.stringify(ref)}`, failure: 'unknown_device' };
}

const ZIGBEE_FAILURES: Partial<Record<ZigbeeError['code'], CommandFailure>> = {
  not_started: 'unavailable',
  unknown_device: 'unknown_device',
  unsupported_key: 'invalid',
  invalid_value: 'invalid',
  device_busy: 'busy',
  device_error: 'device_error',
};

function failureOf(error: unknown): CommandFailure | undefined {
  if (error instanceof ZigbeeError) return ZIGBEE_FAILURES[error.code];
  if (error instanceof StoreError && (error.code === 'name_taken' || error.code === 'invalid_argument')) return 'invalid';
  return undefined;
}

/** For commands that need the device on the network: it left by itself and kept its row. */
function leftNetwork(device: DeviceRecord): CommandExecution {
  const which = device.name === device.ieee ? device.ieee : `${JSON.stringify(device.name)} (${device.ieee})`;
  return { ok: false, error: `device ${which} has left the network: pair it again to control it`, failure: 'left_network' };
}
