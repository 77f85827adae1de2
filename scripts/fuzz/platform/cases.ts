// The platform side's cases, as data: commands of every shape and size (built into wire
// messages only when run, so a 10 MB counterexample prints as `{big: 10000000}`), acks,
// Welcomes, a burst of large commands with acks held, and config files.
import fc from 'fast-check';
import { configCase, type ConfigCase } from '../config/cases.js';

/** Which device a command names: the environment's, one that does not exist, or not an address at all. */
export type DeviceRef = 'sentinel' | 'plug' | 'unknown' | { malformed: string };

export type StateSpec =
  | { json: Record<string, unknown> }
  /** One string value of this many bytes. */
  | { big: number }
  /** Structs nested this deep. */
  | { depth: number };

export type ActionSpec =
  | { set_state: { device: DeviceRef; state: StateSpec } }
  | { permit_join: { seconds: number } }
  | { rename_device: { device: DeviceRef; name: string } }
  | { set_room: { device: DeviceRef; room?: string } }
  | { reconfigure_device: { device: DeviceRef } }
  | { remove_device: { device: 'unknown' | { malformed: string }; force: boolean } }
  | { none: true };

/** Ids are made unique per case when run (a gateway runs an id once); this is their shape. */
export type IdSpec = { length: number; fill: string };
export type Expiry = 'none' | 'future' | 'past' | 'negative' | 'far-negative' | 'max';

export type PlatformCase =
  | { kind: 'command'; id: IdSpec; expiry: Expiry; action: ActionSpec }
  | { kind: 'ack'; upTo: 'zero' | 'below' | 'above' | 'max'; by: number }
  | { kind: 'welcome'; mode: 'reconnect' | 'extra'; lastSeqSeen: 'zero' | 'below' | 'same' | 'above'; by: number }
  | { kind: 'burst'; commands: number; bytes: number }
  | ConfigCase;

const idSpec: fc.Arbitrary<IdSpec> = fc.record({
  length: fc.oneof({ arbitrary: fc.integer({ min: 12, max: 64 }), weight: 6 }, fc.constantFrom(0, 127, 128, 129, 200), fc.integer({ min: 129, max: 100_000 })),
  fill: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
});

const malformedIeee = fc.oneof(fc.constantFrom('', '0x', '0xZZ24b0001abcd01', '0x00124B0001ABCD0', 'not an address', '0x00124b0001abcd011'), fc.string({ maxLength: 40 })).map((malformed) => ({ malformed }));
const device: fc.Arbitrary<DeviceRef> = fc.oneof(fc.constantFrom<DeviceRef>('sentinel', 'plug', 'unknown'), malformedIeee);

const jsonState = fc.oneof(
  fc.constantFrom({ state: 'ON' }, { state: 'OFF' }, { state: 'TOGGLE' }, { brightness: 128 }, { write: { cluster: 'genBasic', payload: { locationDesc: 'x' } } }, { reset: true }),
  fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
) as fc.Arbitrary<Record<string, unknown>>;

const stateSpec: fc.Arbitrary<StateSpec> = fc.oneof(
  { arbitrary: jsonState.map((json) => ({ json })), weight: 8 },
  { arbitrary: fc.oneof(fc.integer({ min: 1000, max: 2_000_000 }), fc.constantFrom(4 * 1024 * 1024 + 1, 10_000_000)).map((big) => ({ big })), weight: 1 },
  { arbitrary: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(50, 64, 100, 200)).map((depth) => ({ depth })), weight: 1 },
);

const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ minLength: 129, maxLength: 2000 }), fc.constantFrom('', ' ', '\n', 'Kitchen'));

const action: fc.Arbitrary<ActionSpec> = fc.oneof(
  { arbitrary: fc.record({ device, state: stateSpec }).map((set_state) => ({ set_state })), weight: 8 },
  { arbitrary: fc.oneof(fc.integer({ min: 0, max: 254 }), fc.integer({ min: 255, max: 0xffffffff })).map((seconds) => ({ permit_join: { seconds } })), weight: 1 },
  { arbitrary: fc.record({ device, name: text }).map((rename_device) => ({ rename_device })), weight: 2 },
  { arbitrary: fc.record({ device, room: fc.option(text, { nil: undefined }) }).map(({ device: d, room }) => ({ set_room: room === undefined ? { device: d } : { device: d, room } })), weight: 2 },
  { arbitrary: fc.constantFrom<DeviceRef>('unknown', 'sentinel').map((d) => ({ reconfigure_device: { device: d } })), weight: 1 },
  { arbitrary: fc.record({ device: fc.oneof(fc.constant('unknown' as const), malformedIeee), force: fc.boolean() }).map((remove_device) => ({ remove_device })), weight: 1 },
  { arbitrary: fc.constant({ none: true as const }), weight: 1 },
);

const commandCase = fc.record({
  kind: fc.constant('command' as const),
  id: idSpec,
  expiry: fc.oneof({ arbitrary: fc.constant<Expiry>('none'), weight: 4 }, fc.constantFrom<Expiry>('future', 'past', 'negative', 'far-negative', 'max')),
  action,
});

export const platformCase: fc.Arbitrary<PlatformCase> = fc.oneof(
  { arbitrary: commandCase, weight: 12 },
  { arbitrary: fc.record({ kind: fc.constant('ack' as const), upTo: fc.constantFrom('zero' as const, 'below' as const, 'above' as const, 'max' as const), by: fc.integer({ min: 1, max: 1000 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('welcome' as const),
      mode: fc.constantFrom('reconnect' as const, 'extra' as const),
      lastSeqSeen: fc.constantFrom('zero' as const, 'below' as const, 'same' as const, 'above' as const),
      by: fc.integer({ min: 1, max: 1000 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('burst' as const), commands: fc.integer({ min: 2, max: 8 }), bytes: fc.integer({ min: 100_000, max: 2_000_000 }) }), weight: 1 },
  { arbitrary: configCase, weight: 4 },
);

/** Inputs a correct hub must take without complaint (errors for unknown devices are fine answers). */
export const knownFinePlatformCase: fc.Arbitrary<PlatformCase> = fc.oneof(
  // Reconnects are rare (the hub's backoff grows when streams end young), commands common.
  { weight: 6, arbitrary: fc.record({
    kind: fc.constant('command' as const),
    id: fc.record({ length: fc.integer({ min: 16, max: 64 }), fill: fc.constantFrom('a', 'z', '-') }),
    expiry: fc.constantFrom<Expiry>('none', 'future'),
    action: fc.oneof(
      fc.constantFrom({ state: 'ON' }, { state: 'OFF' }).map((json) => ({ set_state: { device: 'plug' as DeviceRef, state: { json } } })),
      fc.constantFrom('Hall sensor', 'Kitchen sensor').map((name) => ({ rename_device: { device: 'sentinel' as DeviceRef, name } })),
      fc.constantFrom('Kitchen', 'Hall').map((room) => ({ set_room: { device: 'sentinel' as DeviceRef, room } })),
      fc.constant({ remove_device: { device: 'unknown' as const, force: true } }),
    ),
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const), upTo: fc.constant('below' as const), by: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('welcome' as const), mode: fc.constant('reconnect' as const), lastSeqSeen: fc.constant('same' as const), by: fc.constant(0) }) },
  { weight: 2, arbitrary: fc.constantFrom<ConfigCase>(
    { kind: 'config', base: 'insecure', files: {}, mutations: [] },
    { kind: 'config', base: 'token', files: { token_file: 'token' }, mutations: [] },
    { kind: 'config', base: 'mtls', files: { cert_file: 'cert', key_file: 'key', ca_file: 'ca' }, mutations: [] },
    { kind: 'config', base: 'insecure', files: {}, mutations: [['serail', 1]] },
  ) },
);
