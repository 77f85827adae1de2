// Translates a herdsman device (plus the converters' definition, once resolved) into the
// domain's DeviceDescription. Pure: reads, never changes, the herdsman object.
import type { DeviceDescription, InterviewStatus } from '../domain/events.js';
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
    nwk: device.networkAddress,
    type: deviceTypeOf(device),
    // A generated definition means the converters do not know the device: it still works
    // through generic converters, but it is not "supported".
    supported: definition !== undefined && definition.generated !== true,
    interview: interviewStatusOf(device),
    endpoints: device.endpoints.map((ep) => ({
      id: ep.ID,
      profileId: ep.profileID,
      deviceId: ep.deviceID,
      inClusters: [...ep.inputClusters],
      outClusters: [...ep.outputClusters],
    })),
  };
  if (device.manufacturerID !== undefined) description.manufacturerCode = device.manufacturerID;
  if (device.manufacturerName !== undefined) description.manufacturerName = device.manufacturerName;
  if (device.modelID !== undefined) description.modelId = device.modelID;
  if (device.powerSource !== undefined) description.powerSource = device.powerSource;
  if (definition) {
    description.model = definition.model;
    description.vendor = definition.vendor;
    description.description = definition.description;
  }
  return description;
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
