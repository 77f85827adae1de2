// Resolves each device's converters definition once (findByDevice walks a large index) and
// keeps it until the device's model id changes or the device goes away.
import * as zhc from 'zigbee-herdsman-converters';
import type { ConverterDefinition, HerdsmanDevice } from './herdsman-types.js';

interface Entry {
  modelId: string | undefined;
  definition: ConverterDefinition;
}

export class DefinitionCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * The definition for a device, resolving it when missing or stale. Unknown devices get the
   * converters' generated definition (generic converters, `generated: true`). Returns
   * undefined while the device is being interviewed: its model id is not known yet.
   */
  async resolve(device: HerdsmanDevice): Promise<ConverterDefinition | undefined> {
    const cached = this.entries.get(device.ieeeAddr);
    if (cached && cached.modelId === device.modelID) return cached.definition;
    if (String(device.interviewState) === 'IN_PROGRESS') return cached?.definition;
    const definition = await zhc.findByDevice(device, true);
    if (!definition) return undefined;
    this.entries.set(device.ieeeAddr, { modelId: device.modelID, definition });
    return definition;
  }

  /** The cached definition, without resolving. */
  get(ieee: string): ConverterDefinition | undefined {
    return this.entries.get(ieee)?.definition;
  }

  forget(ieee: string): void {
    this.entries.delete(ieee);
  }

  clear(): void {
    this.entries.clear();
  }
}
