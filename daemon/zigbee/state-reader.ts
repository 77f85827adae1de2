// Reads named state from the device itself through the definition's toZigbee converters'
// convertGet (as Zigbee2MQTT's /get does). The same policy as setting (state-setter.ts): a key
// is readable only when the definition exposes it with the get access bit and a converter
// backs it; nothing is sent when any key is refused. convertGet sends a ZCL read; the answer
// comes back as an ordinary message and becomes state through fromZigbee like any report.
import { describeError, ZigbeeError } from './errors.js';
import { exposedProperties, isGettable } from './expose-validation.js';
import type { ConverterDefinition, HerdsmanDevice, HerdsmanEndpoint } from './herdsman-types.js';
import type { SetStateContext } from './state-setter.js';

type ToZigbee = ConverterDefinition['toZigbee'][number];

/** Sends the reads for `keys`; resolves once every read was answered (or throws). */
export async function requestState(keys: string[], context: SetStateContext): Promise<void> {
  const { device, definition } = context;
  if (keys.length === 0) throw new ZigbeeError('invalid_value', 'nothing to read: no keys');
  const exposes = exposedProperties(definition, device);
  const plan: Array<{ key: string; baseKey: string; endpointName: string | undefined; converter: ToZigbee }> = [];
  for (const key of keys) {
    const expose = exposes.get(key);
    const endpointName = expose?.endpoint;
    const baseKey = endpointName !== undefined && key.endsWith(`_${endpointName}`) ? key.slice(0, -endpointName.length - 1) : key;
    const converter = definition.toZigbee.find((c) => c.convertGet && c.key?.includes(baseKey));
    if (!converter || !expose || !isGettable(expose)) {
      const readable = readableKeys(definition, exposes).join(', ') || 'none';
      throw new ZigbeeError('unsupported_key', `${definition.model} cannot read '${key}' (readable: ${readable})`);
    }
    plan.push({ key, baseKey, endpointName, converter });
  }

  const used = new Set<string>();
  for (const { key, baseKey, endpointName, converter } of plan) {
    // convertGet reads what its key names (state: onOff, brightness: currentLevel): once per key and endpoint.
    const run = `${definition.toZigbee.indexOf(converter)}:${baseKey}@${endpointName ?? ''}`;
    if (used.has(run)) continue;
    used.add(run);
    const endpoint = endpointOf(device, definition, endpointName);
    const meta = {
      message: { [baseKey]: '' },
      device,
      mapped: definition,
      options: context.options,
      state: context.state,
      endpoint_name: endpointName,
      publish: context.publish,
      deviceExposesChanged: () => {},
    };
    try {
      await converter.convertGet!(endpoint, baseKey, meta);
    } catch (error) {
      throw new ZigbeeError('device_error', `reading '${key}' from ${device.ieeeAddr} failed: ${describeError(error)}`, { cause: error });
    }
  }
}

/** The keys the policy lets through: exposed as gettable and backed by a converter. */
function readableKeys(definition: ConverterDefinition, exposes: ReturnType<typeof exposedProperties>): string[] {
  const converted = new Set(definition.toZigbee.filter((c) => c.convertGet).flatMap((c) => c.key ?? []));
  const base = (property: string, endpoint: string | undefined) =>
    endpoint !== undefined && property.endsWith(`_${endpoint}`) ? property.slice(0, -endpoint.length - 1) : property;
  return [...exposes]
    .filter(([property, expose]) => converted.has(base(property, expose.endpoint)) && isGettable(expose))
    .map(([property]) => property);
}

function endpointOf(device: HerdsmanDevice, definition: ConverterDefinition, name: string | undefined): HerdsmanEndpoint {
  const id = definition.endpoint?.(device)[name ?? 'default'];
  const endpoint = (id !== undefined ? device.getEndpoint(id) : undefined) ?? (name === undefined ? device.endpoints[0] : undefined);
  if (!endpoint) throw new ZigbeeError('device_error', `${device.ieeeAddr} has no endpoint${name !== undefined ? ` '${name}'` : 's'}`);
  return endpoint;
}
