// Runs the definition's toZigbee converters for a requested state, after checking that
// every key has a converter and every value fits the definition's exposes. Nothing is sent
// when any key or value is refused. Returns the state the converters report back.
//
// This is the command policy, for every front door (cloud, LAN): a key is settable only when
// the definition exposes it with the set access bit and a converter backs it. Every definition
// also carries the converters' generic raw-ZCL converters (read, write, command, zclcommand,
// reset = genBasic resetFactDefault, scene_*): they are never reachable from here, and there is
// no other path to them.
import type { DeviceState } from '../domain/events.js';
import { describeError, ZigbeeError } from './errors.js';
import { exposedProperties, isSettable, valueProblem } from './expose-validation.js';
import type { ConverterDefinition, HerdsmanDevice, HerdsmanEndpoint } from './herdsman-types.js';

type ToZigbee = ConverterDefinition['toZigbee'][number];

export interface SetStateContext {
  device: HerdsmanDevice;
  definition: ConverterDefinition;
  /** Last known state; converters read it (e.g. brightness to restore on "ON"). */
  state: DeviceState;
  options: Record<string, unknown>;
  /** Converters may publish state on their own (e.g. after a read). */
  publish: (payload: Record<string, unknown>) => void;
}

export async function applyState(request: DeviceState, context: SetStateContext): Promise<DeviceState> {
  const { device, definition } = context;
  const keys = Object.keys(request);
  if (keys.length === 0) throw new ZigbeeError('invalid_value', 'nothing to set: the state is empty');

  const exposes = exposedProperties(definition, device);
  const plan: Array<{ key: string; converter: ToZigbee }> = [];
  for (const key of orderKeys(request)) {
    const expose = exposes.get(key);
    const converter = definition.toZigbee.find((c) => c.convertSet && c.key?.includes(key));
    if (!converter || !expose || !isSettable(expose)) {
      const settable = settableKeys(definition, exposes).join(', ') || 'none';
      throw new ZigbeeError('unsupported_key', `${definition.model} cannot set '${key}' (settable: ${settable})`);
    }
    const problem = valueProblem(key, request[key], expose);
    if (problem) throw new ZigbeeError('invalid_value', `${definition.model}: ${problem}`);
    plan.push({ key, converter });
  }

  const endpoint = defaultEndpoint(device, definition);
  const used = new Set<ToZigbee>();
  let result: DeviceState = {};
  for (const { key, converter } of plan) {
    // One converter may handle several keys at once (state + brightness); run it once.
    if (used.has(converter)) continue;
    used.add(converter);
    const meta = {
      message: { ...request },
      device,
      mapped: definition,
      options: context.options,
      state: { ...context.state, ...result },
      endpoint_name: undefined,
      publish: context.publish,
      deviceExposesChanged: () => {},
    };
    try {
      const outcome = await converter.convertSet!(endpoint, key, request[key], meta);
      if (outcome && outcome.state) result = { ...result, ...outcome.state };
    } catch (error) {
      throw new ZigbeeError('device_error', `setting '${key}' on ${device.ieeeAddr} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
  return result;
}

/**
 * Turning on: state/brightness first (many bulbs ignore colour while off).
 * Turning off: state last, so the other attributes still reach a bulb that listens.
 */
function orderKeys(request: DeviceState): string[] {
  const first = ['state', 'brightness'];
  const turningOff = typeof request.state === 'string' && request.state.toUpperCase() === 'OFF';
  const keys = Object.keys(request);
  const power = keys.filter((k) => first.includes(k));
  const rest = keys.filter((k) => !first.includes(k));
  return turningOff ? [...rest, ...power] : [...power, ...rest];
}

/** The keys the policy lets through: exposed as settable and backed by a converter. */
function settableKeys(definition: ConverterDefinition, exposes: ReturnType<typeof exposedProperties>): string[] {
  const converted = new Set(definition.toZigbee.filter((c) => c.convertSet).flatMap((c) => c.key ?? []));
  return [...exposes].filter(([property, expose]) => converted.has(property) && isSettable(expose)).map(([property]) => property);
}

function defaultEndpoint(device: HerdsmanDevice, definition: ConverterDefinition): HerdsmanEndpoint {
  const id = definition.endpoint?.(device).default;
  const endpoint = (id !== undefined ? device.getEndpoint(id) : undefined) ?? device.endpoints[0];
  if (!endpoint) throw new ZigbeeError('device_error', `${device.ieeeAddr} has no endpoints`);
  return endpoint;
}
