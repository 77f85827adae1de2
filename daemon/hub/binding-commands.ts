// Binding and reporting commands: both act on the devices alone (they hold their binding
// tables and reporting configuration; herdsman records what it told them); the results list
// the device's bindings or reporting afterwards, as the zigbee edge describes them.
import type { BindingCommand } from '../domain/events.js';
import type { CommandExecution } from '../cloud/index.js';
import type { Store } from '../store/index.js';
import type { ZigbeeNetwork } from '../zigbee/index.js';

/** ZCL reporting intervals are 16-bit seconds. */
const MAX_INTERVAL = 0xffff;

export async function executeBindingCommand(command: BindingCommand, network: ZigbeeNetwork, store: Store): Promise<CommandExecution> {
  const device = store.devices.get(command.ieee) ?? store.devices.getByName(command.ieee);
  if (!device) return { ok: false, error: `unknown device ${JSON.stringify(command.ieee)}`, failure: 'unknown_device' };
  if (device.leftAt !== undefined) return { ok: false, error: `device ${device.ieee} has left the network: pair it again to control it`, failure: 'left_network' };
  const source = { ieee: device.ieee, ...(command.endpoint !== undefined ? { endpoint: command.endpoint } : {}) };
  if (command.kind === 'bind') {
    let target;
    if ('group' in command.target) {
      const group = store.groups.get(command.target.group);
      if (!group) return { ok: false, error: `unknown group ${JSON.stringify(command.target.group)}`, failure: 'invalid' };
      target = { group: group.id };
    } else {
      const other = store.devices.get(command.target.ieee) ?? store.devices.getByName(command.target.ieee);
      if (!other) return { ok: false, error: `unknown device ${JSON.stringify(command.target.ieee)}`, failure: 'unknown_device' };
      target = { ieee: other.ieee, ...(command.target.endpoint !== undefined ? { endpoint: command.target.endpoint } : {}) };
    }
    const clusters = await network.bindings.bind(source, target, command.clusters, command.unbind === true);
    return { ok: true, state: { clusters, bindings: network.bindings.describe(device.ieee).bindings } };
  }
  const { minimumInterval, maximumInterval, reportableChange } = command;
  for (const [name, value] of [['minimum_interval', minimumInterval], ['maximum_interval', maximumInterval]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_INTERVAL) return { ok: false, error: `${name} must be a whole number of seconds 0..${MAX_INTERVAL}, got ${value}`, failure: 'invalid' };
  }
  if (maximumInterval !== 0 && maximumInterval < minimumInterval) return { ok: false, error: `maximum_interval ${maximumInterval} is below minimum_interval ${minimumInterval}`, failure: 'invalid' };
  if (!Number.isFinite(reportableChange) || reportableChange < 0) return { ok: false, error: `reportable_change must be a number >= 0, got ${reportableChange}`, failure: 'invalid' };
  await network.bindings.configureReporting(source, { cluster: command.cluster, attribute: command.attribute, minimumInterval, maximumInterval, reportableChange });
  return { ok: true, state: { reporting: network.bindings.describe(device.ieee).reporting } };
}
