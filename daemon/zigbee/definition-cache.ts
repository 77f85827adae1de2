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
    const definition = indexTripsOver(device.modelID) ? await zhc.generateExternalDefinition(device) : await zhc.findByDevice(device, true);
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

/**
 * Workaround: zigbee-herdsman-converters (26.112) looks a model id up in a plain object
 * (`MODELS_INDEX[zigbeeModel.toLowerCase()]` in getFromIndex), so a device calling itself
 * "__proto__", "constructor" or "toString" gets an Object.prototype member back and findByDevice
 * throws "indexes is not iterable". No real definition has such a model id, so the device is
 * given the generated definition an unknown model gets. Remove once the converters' index
 * lookup checks own properties (Object.hasOwn) or uses a Map.
 */
function indexTripsOver(modelId: unknown): boolean {
  if (typeof modelId !== 'string') return false;
  const lookup = modelId.toLowerCase();
  // The converters also try a normalised form: cut at the first NUL, then trimmed.
  return lookup in Object.prototype || lookup.replace(/\0[\s\S]*$/, '').trim() in Object.prototype;
}
