// Announces the LAN API over mDNS/DNS-SD as "_zigbee-hubd._tcp" so apps and `hubctl discover`
// find the hub without an address. The TXT record carries only public facts: hub id, version,
// API version and the certificate fingerprint (which a client still checks on connect).
import { Bonjour } from 'bonjour-service';

export interface Advertisement {
  stop(): Promise<void>;
}

export interface AdvertiseOptions {
  /** Instance name shown by browsers, e.g. "zigbee-hubd gw-kitchen". */
  name: string;
  port: number;
  hubId: string;
  version: string;
  fingerprint: string;
  onError: (error: unknown) => void;
}

export const SERVICE_TYPE = 'zigbee-hubd';

export function advertise(options: AdvertiseOptions): Advertisement {
  // A multicast failure (no interface, port 5353 taken) must not stop the hub: it is reported.
  const bonjour = new Bonjour(undefined, (error: unknown) => options.onError(error));
  const service = bonjour.publish({
    name: options.name,
    type: SERVICE_TYPE,
    port: options.port,
    txt: { id: options.hubId, version: options.version, api: 'v1', fp: options.fingerprint },
  });
  service.on('error', (error: unknown) => options.onError(error));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        // Goodbye packets first, so browsers drop the hub at once instead of after the TTL.
        const timer = setTimeout(() => resolve(), 2000);
        bonjour.unpublishAll(() => {
          bonjour.destroy(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }),
  };
}
