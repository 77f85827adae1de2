// `hubctl discover`: hubs advertising _zigbee-hubd._tcp on the LAN (mDNS/DNS-SD). What the TXT
// record says is a hint; the fingerprint is checked again when pairing.
import { Bonjour } from 'bonjour-service';

export interface DiscoveredHub {
  name: string;
  addresses: string[];
  port: number;
  hubId: string;
  version: string;
  api: string;
  fingerprint: string;
}

export function discoverHubs(timeoutMs: number): Promise<DiscoveredHub[]> {
  return new Promise((resolve) => {
    const bonjour = new Bonjour();
    const found = new Map<string, DiscoveredHub>();
    bonjour.find({ type: 'zigbee-hubd' }, (service) => {
      const txt = (service.txt ?? {}) as Record<string, string>;
      found.set(service.name, {
        name: service.name,
        addresses: service.addresses ?? [],
        port: service.port,
        hubId: String(txt['id'] ?? ''),
        version: String(txt['version'] ?? ''),
        api: String(txt['api'] ?? ''),
        fingerprint: String(txt['fp'] ?? ''),
      });
    });
    setTimeout(() => bonjour.destroy(() => resolve([...found.values()])), timeoutMs);
  });
}
