// Turns one herdsman message into named state with the definition's fromZigbee converters,
// the way the converters expect to be called (definition, message, publish, options, meta).
// Everything a device can get wrong on the way in ends up as a rejection with a reason, never
// as a throw: a malformed frame, an unknown cluster or attribute, a sentinel raw value, a
// converter that throws. The converted state is screened (ranges, physical limits) once, by
// network-state.ts, which every publish goes through.
import * as zhc from 'zigbee-herdsman-converters';
import type { DeviceState } from '../domain/events.js';
import { describeError } from './errors.js';
import type { ConverterDefinition, HerdsmanMessage } from './herdsman-types.js';
import { screenAttributes } from './sanitizer.js';

export interface MessageRejection {
  reason: string;
  cluster: string;
  /** A converter threw: a failure of ours or the converters', not only a bad value. */
  failure?: boolean;
}

export interface ConversionContext {
  /** The device's last known state; some converters (actions, levels) read it. */
  state: DeviceState;
  /** Device options as the converters know them (occupancy_timeout, precision, ...). */
  options: Record<string, unknown>;
  /** For converters that publish later (timers, e.g. occupancy false after 90 s). */
  publishLater: (payload: Record<string, unknown>) => void;
}

export interface ConversionOutcome {
  /** Converted state, not yet screened; empty when nothing came out. */
  state: DeviceState;
  rejections: MessageRejection[];
  /** How many converters matched the message's cluster and type. */
  converters: number;
}

/** Messages on these clusters carry no state; having no converter for them is normal. */
const SILENT_CLUSTERS = new Set(['genOta', 'genTime', 'genBasic', 'genPollCtrl']);

type FromZigbee = ConverterDefinition['fromZigbee'][number];
type ConvertMessage = Parameters<FromZigbee['convert']>[1];

export async function convertMessage(
  message: HerdsmanMessage,
  definition: ConverterDefinition,
  context: ConversionContext,
): Promise<ConversionOutcome> {
  const cluster = String(message.cluster);
  const rejections: MessageRejection[] = [];
  const reject = (reason: string, failure = false): void => {
    rejections.push(failure ? { reason, cluster, failure } : { reason, cluster });
  };
  // herdsman hands out a frame it could not parse as type 'raw' without ZCL header fields.
  const malformed = message.type === 'raw' && message.meta.frameControl === undefined;
  const unknownCluster = /^\d+$/.test(cluster);

  let data = message.data;
  if (hasAttributes(message)) {
    const screened = screenAttributes(cluster, message.data as Record<string, unknown>);
    for (const r of screened.rejected) reject(r.reason);
    if (Object.keys(screened.accepted).length === 0) return { state: {}, rejections, converters: 0 };
    data = screened.accepted;
  }

  const converters = definition.fromZigbee.filter((c) => matches(c, message));
  if (converters.length === 0) {
    if (malformed) reject('malformed ZCL frame');
    else if (unknownCluster) reject(`unknown cluster ${cluster}`);
    return { state: {}, rejections, converters: 0 };
  }

  const meta = { device: message.device, state: context.state, deviceExposesChanged: () => {} };
  const msg = { ...message, data } as unknown as ConvertMessage;
  let payload: Record<string, unknown> = {};
  for (const converter of converters) {
    try {
      const converted = await converter.convert(definition, msg, context.publishLater, context.options, meta);
      if (converted && typeof converted === 'object') payload = { ...payload, ...converted };
    } catch (error) {
      reject(`converter failed: ${describeError(error)}`, true);
    }
  }
  if (Object.keys(payload).length > 0) {
    try {
      zhc.postProcessConvertedFromZigbeeMessage(definition, payload, context.options, message.device);
    } catch (error) {
      reject(`post-processing failed: ${describeError(error)}`, true);
    }
  }

  if (Object.keys(payload).length === 0 && rejections.length === 0) {
    if (malformed) reject('malformed ZCL frame');
    else if (unknownCluster) reject(`unknown cluster ${cluster}`);
    else if (hasAttributes(message) && unknownAttributes(data).length > 0) {
      reject(`unknown attribute(s) ${unknownAttributes(data).join(', ')}`);
    } else if (message.type === 'attributeReport' && hasAttributes(message)) {
      // A converter matched and returned nothing: some drop values they deem impossible without
      // a word (the lumi converter ignores temperatures outside (-65, 65) °C). Say so, or the
      // report vanishes without a trace. Not for read responses: those also answer the
      // converters' own reads of settings they keep beside the state (a plug's divisors, a
      // bulb's colour capabilities, read at configure), which are meant to give no state.
      reject(`${describeAttributes(cluster, data as Record<string, unknown>)} gave no state (the converter ignored the value)`);
    }
  }
  return { state: payload, rejections, converters: converters.length };
}

/** Whether a converter handles this cluster and message type. */
function matches(converter: FromZigbee, message: HerdsmanMessage): boolean {
  const types: readonly unknown[] = Array.isArray(converter.type) ? converter.type : [converter.type];
  return String(converter.cluster) === String(message.cluster) && types.includes(message.type);
}

function hasAttributes(message: HerdsmanMessage): boolean {
  return (
    (message.type === 'attributeReport' || message.type === 'readResponse') &&
    typeof message.data === 'object' &&
    !Array.isArray(message.data) &&
    !Buffer.isBuffer(message.data)
  );
}

/** "msTemperatureMeasurement.measuredValue = 6500": what was reported, bounded for a log line. */
function describeAttributes(cluster: string, data: Record<string, unknown>): string {
  const parts = Object.entries(data)
    .slice(0, 4)
    .map(([name, value]) => `${cluster}.${name} = ${printable(value).slice(0, 64)}`);
  return Object.keys(data).length > 4 ? `${parts.join(', ')}, ...` : parts.join(', ');
}

function printable(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // a BigInt (uint48/64 attributes) or a cycle
  }
}

/** herdsman keeps attributes it cannot name under their numeric id. */
function unknownAttributes(data: unknown): string[] {
  return Object.keys(data as object)
    .filter((k) => /^\d+$/.test(k))
    .map((k) => `0x${Number(k).toString(16).padStart(4, '0')}`);
}

/** Whether a message on this cluster without a converter is worth a debug line. */
export function isSilentCluster(cluster: string): boolean {
  return SILENT_CLUSTERS.has(cluster);
}
