// The hub's own information for GetHubInfo, from parts main.ts owns (versions, coordinator,
// network, cloud link). Each source is a function so that the answer is always current.
export interface HubInfo {
  hubId: string;
  version: string;
  apiVersion: 'v1';
  nodeVersion: string;
  herdsmanVersion: string;
  convertersVersion: string;
  /** type, firmware and ieee only while the coordinator answers. */
  coordinator: { path: string; adapter: string; available: boolean; type?: string; firmware?: string; ieee?: string };
  network?: { channel: number; panId: number; extendedPanId: string };
  startedAt: number;
  uptimeSeconds: number;
  devices: { total: number; available: number; unavailable: number; left: number };
  cloud: { enabled: boolean; state: string; outboxEvents: number };
  certificateFingerprint: string;
}

export interface HubInfoSources {
  hubId: string;
  version: string;
  libraries: { herdsman: string; converters: string };
  coordinator: { path: string; adapter: string };
  /** Rejects while the coordinator is down. */
  networkParameters: () => Promise<{ channel: number; panId: number; extendedPanId: string }>;
  /** The coordinator's stack type, firmware revision and IEEE address; rejects while it is down. */
  coordinatorInfo?: () => Promise<{ type: string; firmware: string; ieee: string }>;
  /** undefined = no cloud link configured. */
  cloudState: () => string | undefined;
  outboxEvents: () => number;
  devices: () => Array<{ available: boolean; leftAt?: number }>;
  startedAt: number;
  now?: () => number;
}

export async function readHubInfo(sources: HubInfoSources, certificateFingerprint: string): Promise<HubInfo> {
  const now = (sources.now ?? Date.now)();
  let network: HubInfo['network'];
  try {
    network = await sources.networkParameters();
  } catch {
    network = undefined;
  }
  const stick = network && sources.coordinatorInfo ? await sources.coordinatorInfo().catch(() => undefined) : undefined;
  const devices = sources.devices();
  const present = devices.filter((d) => d.leftAt === undefined);
  const cloudState = sources.cloudState();
  return {
    hubId: sources.hubId,
    version: sources.version,
    apiVersion: 'v1',
    nodeVersion: process.versions.node,
    herdsmanVersion: sources.libraries.herdsman,
    convertersVersion: sources.libraries.converters,
    coordinator: { ...sources.coordinator, available: network !== undefined, ...(stick ?? {}) },
    ...(network ? { network } : {}),
    startedAt: sources.startedAt,
    uptimeSeconds: Math.max(0, Math.floor((now - sources.startedAt) / 1000)),
    devices: {
      total: devices.length,
      available: present.filter((d) => d.available).length,
      unavailable: present.filter((d) => !d.available).length,
      left: devices.length - present.length,
    },
    cloud: { enabled: cloudState !== undefined, state: cloudState ?? 'disabled', outboxEvents: sources.outboxEvents() },
    certificateFingerprint,
  };
}
