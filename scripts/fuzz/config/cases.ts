// Config files as data: a working base config with mutated keys, identity files with good and
// bad content, and text that is not JSON at all.
import fc from 'fast-check';

/** What an identity file holds (made real when the case runs). */
export type FileContent =
  | 'token' | 'token-with-line-break' | 'token-with-control-byte' | 'whitespace' | 'empty' | 'missing'
  | 'garbage-pem' | 'cert' | 'key' | 'other-key' | 'ca' | 'directory';

export type FileKey = 'ca_file' | 'cert_file' | 'key_file' | 'token_file';

export interface ConfigCase {
  kind: 'config';
  base: 'insecure' | 'token' | 'mtls';
  files: Partial<Record<FileKey, FileContent>>;
  /** [dotted key path, JSON value] set on top of the base (unknown keys included). */
  mutations: Array<[string, unknown]>;
  /** Cut the JSON text at this fraction of its length (not JSON any more). */
  truncate?: number;
}

const KEYS = [
  'data_dir', 'shutdown_timeout_seconds', 'serial.path', 'serial.adapter', 'serial.baud_rate', 'serial.rtscts',
  'zigbee.channel', 'zigbee.permit_join_max_seconds', 'cloud.enabled', 'cloud.target', 'cloud.gateway_id', 'cloud.insecure',
  'log.level', 'log.format', 'availability.mains_timeout_seconds', 'availability.battery_timeout_seconds',
  'availability.check_interval_seconds', 'store.commit_interval_ms', 'store.last_seen_flush_seconds', 'store.backup_keep', 'store.outbox_max_events',
  'store.outbox_max_megabytes', 'store.outbox_max_age_hours',
];

const oddJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53, '', ' ', '\u0000', 'tcp://', 'tcp://127.0.0.1:0', '/dev/ttyUSB0', 'debug', 'zstack', true, false, null, [], {}),
  fc.string({ maxLength: 300 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const keyPath = fc.oneof(
  { arbitrary: fc.constantFrom(...KEYS), weight: 5 },
  fc.constantFrom('serail', 'cloud.tokenfile', 'log.lvl', 'zigbee.network_key', '__proto__', 'constructor', 'serial.__proto__'),
  fc.string({ minLength: 1, maxLength: 20 }),
);

const identity = (keys: FileKey[]) =>
  fc.record(
    Object.fromEntries(
      keys.map((key) => [
        key,
        fc.oneof(
          { arbitrary: fc.constant<FileContent>(key === 'token_file' ? 'token' : key === 'cert_file' ? 'cert' : key === 'key_file' ? 'key' : 'ca'), weight: 4 },
          fc.constantFrom<FileContent>('token-with-line-break', 'token-with-control-byte', 'whitespace', 'empty', 'missing', 'garbage-pem', 'cert', 'key', 'other-key', 'ca', 'directory'),
        ),
      ]),
    ),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Partial<Record<FileKey, FileContent>>>;

export const configCase: fc.Arbitrary<ConfigCase> = fc
  .constantFrom('insecure' as const, 'token' as const, 'mtls' as const)
  .chain((base) =>
    fc.record({
      kind: fc.constant('config' as const),
      base: fc.constant(base),
      files: base === 'token' ? identity(['token_file', 'ca_file']) : base === 'mtls' ? identity(['cert_file', 'key_file', 'ca_file']) : fc.constant({}),
      mutations: fc.array(fc.tuple(keyPath, oddJson), { maxLength: 3 }),
      truncate: fc.option(fc.double({ min: 0, max: 0.99, noNaN: true }), { nil: undefined, freq: 8 }),
    }),
  )
  .map((c) => (c.truncate === undefined ? { kind: c.kind, base: c.base, files: c.files, mutations: c.mutations } : c));
