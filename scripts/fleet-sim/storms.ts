// Reconnect storms: the reference cloud ends every stream at once (a replica restart), and we
// measure how long the fleet takes to be back (every gateway welcomed again).
import type { CloudProcess } from '../lib/reference-cloud-process.js';
import type { SimulatedGateway } from './gateway.js';
import { round, waitUntil } from './wait.js';

export interface StormRecovery {
  /** Seconds from the storm until half, 99 % and every one of the gateways had reconnected. */
  p50: number;
  p99: number;
  all: number;
}

/** How long after `since` the gateways connected again (more often than `before` says). */
export async function recoveryAfter(gateways: SimulatedGateway[], since: number, before: number[]): Promise<StormRecovery> {
  const back: number[] = [];
  const waiting = new Set(gateways.keys());
  await waitUntil(() => {
    for (const i of waiting) {
      if (gateways[i]!.connects > before[i]!) {
        waiting.delete(i);
        back.push((Date.now() - since) / 1000);
      }
    }
    return waiting.size === 0;
  }, 180_000);
  const at = (q: number) => round(back[Math.min(back.length - 1, Math.floor(q * back.length))]!);
  return { p50: at(0.5), p99: at(0.99), all: at(1) };
}

/** A storm every `everyS` seconds until stop(), which resolves with every storm's recovery. */
export function startStorms(cloud: CloudProcess, gateways: SimulatedGateway[], everyS: number, progress: (line: string) => void) {
  const runs: Array<Promise<StormRecovery>> = [];
  const timer =
    everyS > 0
      ? setInterval(() => {
          const before = gateways.map((g) => g.connects);
          const at = Date.now();
          const run = cloud
            .control({ op: 'drop' })
            .then(() => recoveryAfter(gateways, at, before))
            .then((recovery) => {
              progress(`storm: the cloud ended every stream; half back in ${recovery.p50} s, 99 % in ${recovery.p99} s, all ${gateways.length} in ${recovery.all} s`);
              return recovery;
            });
          runs.push(run);
        }, everyS * 1000)
      : undefined;
  return {
    /** No more storms; resolves once the fleet is back from the ones already begun. */
    stop(): Promise<StormRecovery[]> {
      clearInterval(timer);
      return Promise.all(runs);
    },
  };
}
