// fleet-sim's command line, checked: a bad value is refused naming the flag.
import { parseArgs } from 'node:util';

export interface FleetOptions {
  gateways: number;
  /** Seconds of event generation (then the fleet drains: everything acked). */
  durationS: number;
  /** Events per second per gateway (a home's sensors: a report every few seconds in all). */
  rate: number;
  /** Mean seconds between drops of one gateway's uplink (0 = none). */
  dropEveryS: number;
  /** Seconds between reconnect storms: the cloud ends every stream at once (0 = none). */
  stormEveryS: number;
  /** Fraction of gateways that resume from their own last ack, ignoring Welcome (they re-send what the cloud has). */
  resendFraction: number;
  /** The cloud sends every Ack this late (its slow-acks fault): drops then lose acks, and gateways re-send. */
  ackDelayMs: number;
  drainTimeoutS: number;
  seed: number;
  /** Keep the cloud's SQLite file here (a temp dir, removed afterwards, by default). */
  dir: string | undefined;
  json: boolean;
}

export const USAGE = `usage: npm run fleet-sim -- [--gateways 1000] [--duration 60] [--rate 0.5]
    [--drop-every 120] [--storm-every 20] [--resend-fraction 0.1] [--ack-delay-ms 0] [--drain-timeout 120]
    [--seed N] [--dir DIR] [--json]`;

export function parseFleetOptions(argv: string[]): FleetOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      gateways: { type: 'string', default: '1000' },
      duration: { type: 'string', default: '60' },
      rate: { type: 'string', default: '0.5' },
      'drop-every': { type: 'string', default: '120' },
      'storm-every': { type: 'string', default: '20' },
      'resend-fraction': { type: 'string', default: '0.1' },
      'ack-delay-ms': { type: 'string', default: '0' },
      'drain-timeout': { type: 'string', default: '120' },
      seed: { type: 'string' },
      dir: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const number = (flag: string, text: string, { min = 0, max = Infinity, integer = false } = {}): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new Error(`--${flag} must be ${integer ? 'a whole number' : 'a number'} in ${min}..${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
  return {
    gateways: number('gateways', values.gateways, { min: 1, max: 100_000, integer: true }),
    durationS: number('duration', values.duration, { min: 1 }),
    rate: number('rate', values.rate, { max: 10_000 }),
    dropEveryS: number('drop-every', values['drop-every']),
    stormEveryS: number('storm-every', values['storm-every']),
    resendFraction: number('resend-fraction', values['resend-fraction'], { max: 1 }),
    ackDelayMs: number('ack-delay-ms', values['ack-delay-ms'], { max: 60_000, integer: true }),
    drainTimeoutS: number('drain-timeout', values['drain-timeout'], { min: 1 }),
    seed: values.seed !== undefined ? number('seed', values.seed, { integer: true }) : Math.floor(Math.random() * 2 ** 31),
    dir: values.dir,
    json: values.json,
  };
}

/** A small seeded generator (mulberry32), so a run's drops and values can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
