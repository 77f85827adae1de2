// Turns one herdsman message into named state with the definition's fromZigbee converters,
// the way the converters expect to be called (definition, message, publish, options, meta).
// Everything a device can get wrong ends up as a rejection with a reason, never as a throw:
// a malformed frame, an unknown cluster or attribute, a sentinel value, a converter that
// throws, or a converted value that no sensor can mean.
import * as zhc from 'zigbee-herdsman-converters';
import type { DeviceState } from '../domain/events.js';
import { describeError } from './errors.js';
import type { ConverterDefinition, HerdsmanMessage } from './herdsman-types.js';
import { screenAttributes, screenState, type ExposeRange } from './sanitizer.js';

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
  /** The definition's numeric expose ranges by state key (checked instead of the physical rule). */
  ranges?: ReadonlyMap<string, ExposeRange>;
}

export interface ConversionOutcome {
  /** Screened state; empty when nothing usable came out. */
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

  const screened = screenState(payload, undefined, context.ranges);
  for (const r of screened.rejected) reject(r.reason);
  if (Object.keys(screened.accepted).length === 0 && rejections.length === 0) {
    if (malformed) reject('malformed ZCL frame');
    else if (unknownCluster) reject(`unknown cluster ${cluster}`);
    else if (hasAttributes(message) && unknownAttributes(data).length > 0) {
      reject(`unknown attribute(s) ${unknownAttributes(data).join(', ')}`);
    }
  }
  return { state: screened.accepted, rejections, converters: converters.length };
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
