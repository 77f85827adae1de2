// The started controller and what callers look up in it: a device by ieee, its definition,
// the coordinator. Each lookup that cannot be answered throws the ZigbeeError callers map to
// a reply (not_started, unknown_device, device_busy), so every command refuses alike.
import type { Controller } from 'zigbee-herdsman';
import type { DeviceDescription, Ieee } from '../domain/events.js';
import type { DefinitionCache } from './definition-cache.js';
import { describeDevice } from './device-description.js';
import { ZigbeeError } from './errors.js';
import type { ConverterDefinition, HerdsmanDevice, HerdsmanEndpoint } from './herdsman-types.js';

export class DeviceLookup {
  /** Set once herdsman's controller has started; cleared when it stops. */
  private running: Controller | undefined;

  constructor(private readonly definitions: DefinitionCache) {}

  /** The started controller, or undefined (not started yet, stopping, or lost). */
  current(): Controller | undefined {
    return this.running;
  }

  set(controller: Controller | undefined): void {
    this.running = controller;
  }

  started(): Controller {
    if (!this.running) throw new ZigbeeError('not_started', 'the Zigbee coordinator is not available (not started yet, or lost and being reopened)');
    return this.running;
  }

  /** A device of the network (never the coordinator). */
  device(ieee: Ieee): HerdsmanDevice {
    const device = this.started().getDeviceByIeeeAddr(ieee);
    if (!device || device.type === 'Coordinator') throw new ZigbeeError('unknown_device', `no device ${ieee} in the network`);
    return device;
  }

  /** The device if the network is started and knows it; never throws. */
  find(ieee: Ieee): HerdsmanDevice | undefined {
    return this.running?.getDeviceByIeeeAddr(ieee);
  }

  /** Every device herdsman knows (without the coordinator). */
  devices(): DeviceDescription[] {
    const list: DeviceDescription[] = [];
    for (const device of this.started().getDevicesIterator((d) => d.type !== 'Coordinator')) {
      list.push(describeDevice(device, this.definitions.get(device.ieeeAddr)));
    }
    return list;
  }

  async definitionOf(device: HerdsmanDevice): Promise<ConverterDefinition> {
    const definition = await this.definitions.resolve(device);
    if (!definition) throw new ZigbeeError('device_busy', `${device.ieeeAddr} is still being interviewed`);
    return definition;
  }

  coordinatorEndpoint(): HerdsmanEndpoint {
    const coordinator = this.started().getDevicesByType('Coordinator')[0];
    const endpoint = coordinator?.getEndpoint(1) ?? coordinator?.endpoints[0];
    if (!endpoint) throw new ZigbeeError('device_error', 'the coordinator has no endpoint');
    return endpoint;
  }

  /** What the coordinator says it is: stack type (e.g. "zStack3x0"), firmware revision and IEEE address. */
  async coordinatorInfo(): Promise<{ type: string; firmware: string; ieee: string }> {
    const controller = this.started();
    const version = await controller.getCoordinatorVersion();
    const revision = version.meta['revision'] ?? version.meta['version'] ?? '';
    const coordinator = controller.getDevicesByType('Coordinator')[0];
    return { type: version.type, firmware: String(revision), ieee: coordinator?.ieeeAddr ?? '' };
  }
}
