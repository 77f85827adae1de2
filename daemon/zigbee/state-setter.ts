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
import { endpointNamed, resolveKey, setterFor } from './endpoint-keys.js';
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
  const plan: PlannedKey[] = [];
  for (const key of orderKeys(request)) {
    // state_left / state_l2 / state_2: the converter of the plain key, on that endpoint.
    const resolved = resolveKey(key, exposes, device, definition);
    const converter = resolved && setterFor(definition, resolved);
    if (!resolved || !converter || !isSettable(resolved.expose)) {
      const settable = settableKeys(definition, exposes).join(', ') || 'none';
      throw new ZigbeeError('unsupported_key', `${definition.model} cannot set '${key}' (settable: ${settable})`);
    }
    const problem = valueProblem(key, request[key], resolved.expose);
    if (problem) throw new ZigbeeError('invalid_value', `${definition.model}: ${problem}`);
    plan.push({ key, baseKey: resolved.baseKey, endpointName: resolved.endpointName, converter });
  }

  const used = new Set<string>();
  let result: DeviceState = {};
  for (const { key, baseKey, endpointName, converter } of plan) {
    // One converter may handle several keys of one endpoint at once (state + brightness): run it once per endpoint.
    const run = `${definition.toZigbee.indexOf(converter)}@${endpointName ?? ''}`;
    if (used.has(run)) continue;
    used.add(run);
    const endpoint = endpointName === undefined ? defaultEndpoint(device, definition) : namedEndpoint(device, definition, endpointName);
    const meta = {
      // The keys for this endpoint, as the converters name them (without the endpoint suffix).
      message: messageFor(plan, request, endpointName),
      device,
      mapped: definition,
      options: context.options,
      state: { ...context.state, ...result },
      endpoint_name: endpointName,
      publish: context.publish,
      deviceExposesChanged: () => {},
    };
    try {
      const outcome = await converter.convertSet!(endpoint, baseKey, request[key], meta);
      if (outcome && outcome.state) result = { ...result, ...withEndpointSuffix(outcome.state, endpointName) };
    } catch (error) {
      throw new ZigbeeError('device_error', `setting '${key}' on ${device.ieeeAddr} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
  return result;
}

interface PlannedKey {
  /** As requested, e.g. "state_l2". */
  key: string;
  /** As the converter knows it, e.g. "state". */
  baseKey: string;
  /** The expose's endpoint name ("l2"), for per-endpoint exposes. */
  endpointName: string | undefined;
  converter: ToZigbee;
}

function messageFor(plan: PlannedKey[], request: DeviceState, endpointName: string | undefined): DeviceState {
  return Object.fromEntries(plan.filter((p) => p.endpointName === endpointName).map((p) => [p.baseKey, request[p.key]]));
}

/** State a converter reports for one endpoint is that endpoint's: state -> state_l2. */
function withEndpointSuffix(state: DeviceState, endpointName: string | undefined): DeviceState {
  if (endpointName === undefined) return state;
  const suffix = `_${endpointName}`;
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k.endsWith(suffix) ? k : `${k}${suffix}`, v]));
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
  const setters = definition.toZigbee.filter((c) => c.convertSet);
  const anyKey = setters.some((c) => c.key === undefined); // see setterFor
  const converted = new Set(setters.flatMap((c) => c.key ?? []));
  const base = (property: string, endpoint: string | undefined) =>
    endpoint !== undefined && property.endsWith(`_${endpoint}`) ? property.slice(0, -endpoint.length - 1) : property;
  return [...exposes]
    .filter(([property, expose]) => (anyKey || converted.has(base(property, expose.endpoint))) && isSettable(expose))
    .map(([property]) => property);
}

function namedEndpoint(device: HerdsmanDevice, definition: ConverterDefinition, name: string): HerdsmanEndpoint {
  const endpoint = endpointNamed(device, definition, name);
  if (!endpoint) throw new ZigbeeError('device_error', `${device.ieeeAddr} has no endpoint '${name}'`);
  return endpoint;
}

function defaultEndpoint(device: HerdsmanDevice, definition: ConverterDefinition): HerdsmanEndpoint {
  const id = definition.endpoint?.(device).default;
  const endpoint = (id !== undefined ? device.getEndpoint(id) : undefined) ?? device.endpoints[0];
  if (!endpoint) throw new ZigbeeError('device_error', `${device.ieeeAddr} has no endpoints`);
  return endpoint;
}
