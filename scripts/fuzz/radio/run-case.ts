// Runs one radio case through the virtual coordinator's control port and says afterwards
// whether everything the daemon refused was logged with a reason.
import type { LogLine } from '../../lib/daemon-process.js';
import { isRefusalLine, namesDevice } from '../daemon-log.js';
import { DELIVERY_TIMEOUT_MS, GATEWAY, type FuzzEnvironment } from '../environment.js';
import type { FuzzSide } from '../case-types.js';
import { knownFineRadioCase, radioCase, type RadioCase } from './cases.js';

/** Reports whose every new value must become state or a logged rejection: cluster -> state key and scale. */
const WATCHED_REPORTS: Record<string, { key: string; scale: number }> = {
  msTemperatureMeasurement: { key: 'temperature', scale: 100 },
  msRelativeHumidity: { key: 'humidity', scale: 100 },
};
/** A log line about frames the serial layer dropped (bad checksum, noise). */
const FRAME_DROP = /frame|checksum|fcs|garbage|noise|malformed|dropped/i;

/** Per daemon process: where in its log the first noise frame was sent. */
const firstNoiseMark = new WeakMap<object, number>();

export const radioSide: FuzzSide<RadioCase> = {
  name: 'radio',
  arbitrary: radioCase,
  kind: (input) => `radio.${input.kind}`,
  run: runRadioCase,
};

/** The same checks on inputs a correct hub takes without complaint: proves the harness itself. */
export const knownFineRadioSide: FuzzSide<RadioCase> = { ...radioSide, name: 'radio-known-fine', arbitrary: knownFineRadioCase };

async function runRadioCase(env: FuzzEnvironment, input: RadioCase): Promise<() => string[]> {
  const since = Date.now();
  const mark = env.log.mark();
  const linesNaming = (ieee: string) => env.log.since(mark).filter((l) => isRefusalLine(l) && namesDevice(l, ieee));
  const stateChangedFor = (ieee: string) =>
    env.platform.events(GATEWAY).some((e) => e.receivedAt >= since && e.event.kind === 'state_changed' && e.event.ieee === ieee);

  switch (input.kind) {
    case 'join': {
      await env.ensurePermitJoin();
      const reply = await env.vc.must({ cmd: 'join', definition: input.definition });
      const ieee = (reply.device as { ieee: string }).ieee;
      const outcome = await env
        .whileDaemonAlive(
          env.platform.waitForEvent(
            (e) =>
              e.receivedAt >= since &&
              (e.event.kind === 'device_interview' || e.event.kind === 'device_quarantined') &&
              e.event.ieee === ieee &&
              (e.event.kind === 'device_quarantined' || e.event.status === 'successful' || e.event.status === 'failed'),
            DELIVERY_TIMEOUT_MS,
          ),
        )
        .catch((error: Error) => error);
      // The device's next frame: where a type the daemon trusted blindly blows up.
      await env.vc.request({ cmd: 'report', ieee, endpoint: input.definition.endpoints[0]!.id, cluster: input.frameCluster });
      return () => {
        const problems: string[] = [];
        if (outcome instanceof Error) {
          const about = env.log.since(mark).filter((l) => namesDevice(l, ieee)).slice(-8).map((l) => JSON.stringify(l).slice(0, 300));
          problems.push(`joined device ${ieee} got no interview outcome or quarantine at the platform: ${outcome.message}\n  its log lines:\n  ${about.join('\n  ')}`);
        }
        // Refused (interview failed, quarantined): said why. Accepted: what the product shows is text.
        if (!(outcome instanceof Error)) {
          const event = outcome.event;
          if (event.kind === 'device_quarantined' && event.reason.trim() === '') problems.push(`device ${ieee} was quarantined without a reason`);
          if (event.kind === 'device_interview' && event.status === 'failed' && linesNaming(ieee).length === 0) {
            problems.push(`device ${ieee} failed its interview and nothing logged why, naming it`);
          }
          if (event.kind === 'device_interview' && event.device) {
            const { manufacturerName, modelId } = event.device;
            for (const [field, value] of Object.entries({ manufacturerName, modelId })) {
              if (value !== undefined && typeof value !== 'string') problems.push(`device ${ieee} is shown with ${field} ${JSON.stringify(value)}, not text`);
            }
          }
        }
        void env.vc.request({ cmd: 'leave', ieee }).catch(() => undefined);
        return problems;
      };
    }
    case 'report': {
      const ieee = env.devices[input.device];
      const [attribute, value] = Object.entries(input.attributes)[0]!;
      const watched = WATCHED_REPORTS[input.cluster];
      // An unchanged value makes no event by design: only a new value must show somewhere.
      const changed = watched !== undefined && typeof value === 'number' && latestState(env, ieee)[watched.key] !== value / watched.scale;
      await env.vc.must({ cmd: 'report', ieee, endpoint: input.endpoint, cluster: input.cluster, attributes: input.attributes });
      return () => {
        if (!changed) return [];
        if (stateChangedFor(ieee) || linesNaming(ieee).length > 0) return [];
        return [`${input.cluster}.${attribute} = ${value} from ${ieee} neither became state nor was logged as refused`];
      };
    }
    case 'heartbeat':
      await env.vc.must({ cmd: 'report', ieee: env.devices[input.device], endpoint: 1, cluster: 'genBasic', attributes: [0xff01] });
      return () => [];
    case 'noise': {
      if (!firstNoiseMark.has(env.daemon)) firstNoiseMark.set(env.daemon, mark);
      for (let i = 0; i < input.count; i++) await env.vc.must({ cmd: 'fault', type: 'malformed', kind: input.frame });
      return () => {
        const from = firstNoiseMark.get(env.daemon) ?? mark;
        // Rate-limited logging is fine: one line since the first noise frame this daemon saw.
        if (env.log.since(from).some((l: LogLine) => l.level !== 'debug' && FRAME_DROP.test(`${l.msg} ${String(l.reason ?? '')}`))) return [];
        return [`${input.count} ${input.frame} frame(s) sent to the daemon and it never logged a dropped frame`];
      };
    }
    case 'truncated': {
      const ieee = env.devices[input.device];
      await env.vc.must({ cmd: 'fault', type: 'malformed', kind: 'zcl', ieee, count: input.count });
      for (let i = 0; i < input.count; i++) {
        const raw = 1000 + Math.floor(Math.random() * 1000);
        if (input.device === 'weather') await env.vc.must({ cmd: 'report', ieee, endpoint: 1, cluster: 'msPressureMeasurement', attributes: { measuredValue: raw } });
        else await env.vc.must({ cmd: 'report', ieee, endpoint: 1, cluster: 'genDeviceTempCfg', attributes: { currentTemperature: raw % 60 } });
      }
      await env.vc.must({ cmd: 'fault', type: 'clear', ieee });
      return () => {
        if (linesNaming(ieee).length > 0 || env.log.since(mark).some((l) => isRefusalLine(l) && FRAME_DROP.test(l.msg))) return [];
        return [`${input.count} truncated ZCL frame(s) from ${ieee} were dropped without a log line`];
      };
    }
  }
}

/** The device's state as the platform last heard it. */
function latestState(env: FuzzEnvironment, ieee: string): Record<string, unknown> {
  const events = env.platform.events(GATEWAY);
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!.event;
    if (event.kind === 'state_changed' && event.ieee === ieee) return event.state;
  }
  return {};
}
