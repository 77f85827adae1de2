// Translates a herdsman device (plus the converters' definition, once resolved) into the
// domain's DeviceDescription. Pure: reads, never changes, the herdsman object. Every field is
// type-checked: herdsman stores whatever ZCL type a device answered with (a number where text
// belongs, NaN, a struct), and none of that may reach the store or the cloud as such.
import type { DeviceDescription, InterviewStatus } from '../domain/events.js';
import { textOf } from './attribute-text.js';
import type { ConverterDefinition, HerdsmanDevice } from './herdsman-types.js';

const INTERVIEW_STATUS: Record<string, InterviewStatus> = {
  PENDING: 'pending',
  IN_PROGRESS: 'in_progress',
  SUCCESSFUL: 'successful',
  FAILED: 'failed',
};

export function interviewStatusOf(device: HerdsmanDevice): InterviewStatus {
  return INTERVIEW_STATUS[String(device.interviewState)] ?? 'pending';
}

export function describeDevice(device: HerdsmanDevice, definition?: ConverterDefinition): DeviceDescription {
  const description: DeviceDescription = {
    ieee: device.ieeeAddr,
    nwk: isUint(device.networkAddress, 0xffff) ? device.networkAddress : 0,
    type: deviceTypeOf(device),
    // A generated definition means the converters do not know the device: it still works
    // through generic converters, but it is not "supported".
    supported: definition !== undefined && definition.generated !== true,
    interview: interviewStatusOf(device),
    endpoints: device.endpoints.filter((ep) => isUint(ep.ID, 0xff)).map((ep) => ({
      id: ep.ID,
      ...(isUint(ep.profileID, 0xffff) ? { profileId: ep.profileID } : {}),
      ...(isUint(ep.deviceID, 0xffff) ? { deviceId: ep.deviceID } : {}),
      inClusters: clusterIds(ep.inputClusters),
      outClusters: clusterIds(ep.outputClusters),
    })),
  };
  if (isUint(device.manufacturerID, 0xffff)) description.manufacturerCode = device.manufacturerID;
  const texts = {
    manufacturerName: textOf(device.manufacturerName),
    modelId: textOf(device.modelID),
    powerSource: textOf(device.powerSource),
    model: textOf(definition?.model),
    vendor: textOf(definition?.vendor),
    description: textOf(definition?.description),
  };
  for (const [key, value] of Object.entries(texts) as Array<[keyof typeof texts, string | undefined]>) {
    if (value !== undefined) description[key] = value;
  }
  return description;
}

function isUint(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function clusterIds(ids: unknown): number[] {
  return Array.isArray(ids) ? ids.filter((id): id is number => isUint(id, 0xffff)) : [];
}

function deviceTypeOf(device: HerdsmanDevice): DeviceDescription['type'] {
  switch (device.type) {
    case 'Coordinator':
    case 'Router':
    case 'EndDevice':
      return device.type;
    case 'GreenPower':
      return 'EndDevice';
    default:
      return 'Unknown';
  }
}

/** Routers and mains-powered devices hear a request at any time; sleepy end devices do not. */
export function listensAllTheTime(device: HerdsmanDevice | undefined): boolean {
  if (!device) return false;
  if (device.type !== 'EndDevice') return true;
  return /mains/i.test(String(device.powerSource ?? ''));
}
