// Where the store alone spends its CPU per report: the store work of a whole report (as in
// commit-latency.ts) paced at one rate, warmed up first, then a V8 CPU profile of the main
// thread over the measured window only (the inspector, so neither the TypeScript loader nor
// the warm-up is in it) and the process's CPU (every thread: also the fsyncs on the pool):
//   npx tsx scripts/bench/store-cpu-profile.ts --store /tmp/b/dist/daemon/store/index.js \
//     [--rate 100] [--warmup 10] [--seconds 20] [--devices 200] [--profile /tmp/store.cpuprofile]
// Without --profile it only measures (e.g. under `perf record`: the profiler's own sampling
// costs far more CPU than the store).
// then: npx tsx scripts/bench/cpu-profile-summary.ts /tmp/store.cpuprofile --reports N
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { openStore as OpenStore, Store } from '../../daemon/store/index.js';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'daemon/store/index.ts' },
    rate: { type: 'string', default: '100' },
    warmup: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '20' },
    devices: { type: 'string', default: '200' },
    /** Where to write the V8 profile; without it, no profile (the profiler's sampling costs CPU of its own). */
    profile: { type: 'string' },
  },
});
const quiet = () => undefined;
const log = { debug: quiet, info: quiet, warn: quiet, error: (msg: string, fields?: unknown) => console.error(msg, fields) };
const ieee = (n: number) => `0x00158d00${n.toString(16).padStart(8, '0')}`;
const devices = Number(args.devices);
const rate = Number(args.rate);

let sent = 0;
/** Paced reports for `seconds`, each the store work of one frame (hub/device-sync.ts, hub/availability.ts). */
async function reports(store: Store, seconds: number): Promise<number> {
  const t0 = performance.now();
  const total = Math.round(rate * seconds);
  for (let done = 0; done < total; ) {
    const due = Math.min(Math.floor(((performance.now() - t0) / 1000) * rate), total);
    for (; done < due; done++, sent++) {
      const id = ieee((sent % devices) + 1);
      if (!store.devices.has(id)) throw new Error('unknown device');
      store.devices.markSeen(id, { at: Date.now(), linkquality: 100 });
      store.devices.setAvailability(id, true);
      store.state.apply(id, { temperature: sent / 100 });
    }
    const nextDueMs = t0 + ((done + 1) / rate) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextDueMs - performance.now())));
  }
  await store.flush();
  return total;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))));
}

const { openStore } = (await import(pathToFileURL(resolve(args.store)).href)) as { openStore: typeof OpenStore };
const dir = mkdtempSync(join(tmpdir(), 'hubd-store-profile-'));
const store = openStore({ path: join(dir, 'hub.db'), log });
try {
  for (let n = 1; n <= devices; n++) {
    store.devices.upsert({ ieee: ieee(n), nwk: n, type: 'EndDevice', supported: true, interview: 'successful', endpoints: [] });
  }
  await store.flush();
  await reports(store, Number(args.warmup));
  const session = args.profile === undefined ? undefined : new Session();
  if (session) {
    session.connect();
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(session, 'Profiler.start');
  }
  const commitsBefore = store.commitStats().commits;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const monotonicFrom = process.hrtime.bigint();
  const total = await reports(store, Number(args.seconds));
  const monotonicTo = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = (performance.now() - t0) / 1000;
  if (session) {
    const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
    session.disconnect();
    writeFileSync(args.profile!, JSON.stringify(profile));
  }
  console.log(
    JSON.stringify({
      rate,
      reports: total,
      cpuUsPerReport: Math.round((cpu.user + cpu.system) / total),
      systemUsPerReport: Math.round(cpu.system / total),
      commitsPerSec: Math.round(((store.commitStats().commits - commitsBefore) / elapsed) * 10) / 10,
      // CLOCK_MONOTONIC seconds of the window: `perf record -k CLOCK_MONOTONIC`, then `perf script --time FROM,TO`.
      window: `${Number(monotonicFrom / 1000n) / 1e6},${Number(monotonicTo / 1000n) / 1e6}`,
      ...(args.profile ? { summarize: `npx tsx scripts/bench/cpu-profile-summary.ts ${args.profile} --reports ${total}` } : {}),
    }),
  );
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
