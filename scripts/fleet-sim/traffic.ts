// The fleet's traffic: every tick each gateway commits its share of reports (--rate per second
// on average) and, with the chance --drop-every gives, loses its uplink.
import type { FleetOptions } from './options.js';
import { sensorReport, type SimulatedGateway } from './gateway.js';

const TICK_MS = 100;

export function startTraffic(gateways: SimulatedGateway[], options: FleetOptions, random: () => number) {
  const ieees = gateways.map((_, i) => `0x00124b00${i.toString(16).padStart(8, '0')}`);
  const perTick = (options.rate * TICK_MS) / 1000;
  const dropChance = options.dropEveryS > 0 ? TICK_MS / 1000 / options.dropEveryS : 0;
  const counts = { drops: 0 };
  const timer = setInterval(() => {
    gateways.forEach((gateway, i) => {
      const reports = Math.floor(perTick) + (random() < perTick % 1 ? 1 : 0);
      for (let n = 0; n < reports; n++) gateway.commit((seq) => sensorReport(ieees[i]!, seq, random));
      if (gateway.connected && random() < dropChance) {
        gateway.drop();
        counts.drops++;
      }
    });
  }, TICK_MS);
  return {
    counts,
    stop(): void {
      clearInterval(timer);
    },
  };
}
