// Resolves each device's converters definition once (findByDevice walks a large index) and
// keeps it until the device's model id changes or the device goes away.
import * as zhc from 'zigbee-herdsman-converters';
import { exposeRanges } from './expose-validation.js';
import type { ConverterDefinition, HerdsmanDevice } from './herdsman-types.js';
import type { ExposeRange } from './sanitizer.js';

interface Entry {
  modelId: string | undefined;
  definition: ConverterDefinition;
  device: HerdsmanDevice;
  /** Numeric expose ranges by state key, worked out on first use. */
  ranges?: ReadonlyMap<string, ExposeRange>;
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
    this.entries.set(device.ieeeAddr, { modelId: device.modelID, definition, device });
    return definition;
  }

  /** The cached definition, without resolving. */
  get(ieee: string): ConverterDefinition | undefined {
    return this.entries.get(ieee)?.definition;
  }

  /** The value ranges the device's definition gives its numeric state (for the sanitizer). */
  rangesOf(ieee: string): ReadonlyMap<string, ExposeRange> | undefined {
    const entry = this.entries.get(ieee);
    if (!entry) return undefined;
    entry.ranges ??= exposeRanges(entry.definition, entry.device);
    return entry.ranges;
  }

  forget(ieee: string): void {
    this.entries.delete(ieee);
  }

  clear(): void {
    this.entries.clear();
  }
}
