// Which endpoint a state key addresses, the way Zigbee2MQTT reads keys: `state_right` is the
// key `state` on the endpoint the definition names `right` (endpoint ids stand for themselves
// where the definition names none: `state_2`). A per-endpoint expose (the definition exposes
// `state_left` itself) says so directly; otherwise a suffix naming one of the device's
// endpoints, on a key the definition exposes without an endpoint, addresses that endpoint.
import type { ConverterDefinition, HerdsmanDevice, HerdsmanEndpoint } from './herdsman-types.js';
import type { exposedProperties } from './expose-validation.js';

type Exposes = ReturnType<typeof exposedProperties>;
export type ExposeOf = NonNullable<ReturnType<Exposes['get']>>;
type ToZigbee = ConverterDefinition['toZigbee'][number];

export interface ResolvedKey {
  /** As requested, e.g. "state_left". */
  key: string;
  /** As the converters know it, e.g. "state". */
  baseKey: string;
  /** The endpoint's name ("left", "l2", "2"); undefined for the device's default endpoint. */
  endpointName: string | undefined;
  /** What the definition exposes for it (for access and value checks). */
  expose: ExposeOf;
}

/** The key's expose and endpoint; undefined when the definition exposes nothing for it. */
export function resolveKey(key: string, exposes: Exposes, device: HerdsmanDevice, definition: ConverterDefinition): ResolvedKey | undefined {
  const direct = exposes.get(key);
  if (direct) {
    const endpointName = direct.endpoint;
    const baseKey = endpointName !== undefined && key.endsWith(`_${endpointName}`) ? key.slice(0, -endpointName.length - 1) : key;
    return { key, baseKey, endpointName, expose: direct };
  }
  const cut = key.lastIndexOf('_');
  if (cut <= 0) return undefined;
  const baseKey = key.slice(0, cut);
  const endpointName = key.slice(cut + 1);
  const plain = exposes.get(baseKey);
  if (!plain || plain.endpoint !== undefined || endpointIdOf(device, definition, endpointName) === undefined) return undefined;
  return { key, baseKey, endpointName, expose: plain };
}

/**
 * The toZigbee converter that sets this key on this endpoint (a converter may be limited to some
 * endpoints). As in Zigbee2MQTT, a converter without keys takes any key: Tuya's datapoint
 * converter sets whatever the definition's datapoint map names. The first match wins, and
 * keyed converters come before it. Only exposed, settable keys get this far (state-setter.ts).
 */
export function setterFor(definition: ConverterDefinition, resolved: Pick<ResolvedKey, 'baseKey' | 'endpointName'>): ToZigbee | undefined {
  return definition.toZigbee.find(
    (c) =>
      c.convertSet &&
      (c.key === undefined || c.key.includes(resolved.baseKey)) &&
      (!c.endpoints || (resolved.endpointName !== undefined && c.endpoints.includes(resolved.endpointName))),
  );
}

/** The endpoint a name addresses: the definition's name for it, else its id; undefined when the device has none such. */
export function endpointIdOf(device: HerdsmanDevice, definition: ConverterDefinition, name: string): number | undefined {
  const named = definition.endpoint?.(device)[name];
  const id = named ?? (/^\d+$/.test(name) ? Number(name) : undefined);
  return id !== undefined && device.getEndpoint(id) ? id : undefined;
}

export function endpointNamed(device: HerdsmanDevice, definition: ConverterDefinition, name: string): HerdsmanEndpoint | undefined {
  const id = endpointIdOf(device, definition, name);
  return id === undefined ? undefined : device.getEndpoint(id);
}
