// The settings the daemon understands: their types (HubConfig), defaults and rules.
// The file format (snake_case JSON) is documented in daemon/ops/CONFIG.md; keep both in step.

import net from 'node:net';
import path from 'node:path';
import { isLoopbackTarget } from '../domain/loopback.js';
import type { ConfigSection } from './config-reader.js';
import type { LogLevel } from './logger.js';

/** The radio stacks zigbee-herdsman 10 has adapters for, and `auto`: found by its discovery. */
export const ADAPTERS = ['zstack', 'ember', 'deconz', 'zigate', 'zboss', 'zoh', 'auto'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface HubConfig {
  /** Where the config came from: the file's absolute path, or "(defaults)". */
  source: string;
  /** Absolute. Holds network.json, the SQLite database, herdsman's files and backups. */
  dataDir: string;
  /** How long an orderly shutdown may take before the process exits anyway. */
  shutdownTimeoutSeconds: number;
  serial: {
    /**
     * A device path (/dev/ttyUSB0, /dev/serial/by-id/...) or tcp://host:port. With adapter
     * `auto`: a device path, mdns://<service type>, or '' (not set) to look on every serial port.
     */
    path: string;
    adapter: AdapterName;
    baudRate: number;
    rtscts: boolean;
  };
  zigbee: {
    /** 11..26; only used when the network is formed (changing it later needs a migration). */
    channel: number;
    permitJoinMaxSeconds: number;
  };
  cloud: {
    enabled: boolean;
    /** host:port of the platform's gRPC endpoint; required when enabled. */
    target: string | undefined;
    gatewayId: string;
    /** Plaintext gRPC; only accepted for a loopback target (development). */
    insecure: boolean;
    /** Absolute paths (resolved against the config file's folder). */
    caFile: string | undefined;
    certFile: string | undefined;
    keyFile: string | undefined;
    tokenFile: string | undefined;
  };
  log: {
    level: LogLevel;
    /** auto: pretty on a terminal, JSON lines otherwise (journald). */
    format: LogFormat;
    /** Per namespace (and everything under it), overriding `level`: { "zigbee:herdsman": "warn" }. */
    levels: Record<string, LogLevel>;
    /** Lines of one kind (level, namespace, message, device) written per minute; the rest counted. 0: no limit. */
    maxRepeatsPerMinute: number;
  };
  availability: {
    /** Silence after which a mains-powered device (or router) is pinged; unavailable if it does not answer. */
    mainsTimeoutSeconds: number;
    /** Silence after which a battery device is unavailable (it sleeps, so it cannot be pinged). */
    batteryTimeoutSeconds: number;
    /** How often the device table is swept for silent devices. */
    checkIntervalSeconds: number;
  };
  store: {
    /** Group-commit window: writes within it share one transaction/fsync. */
    commitIntervalMs: number;
    /** How often last-seen times (kept in memory) are written: what a power cut may lose of them. */
    lastSeenFlushSeconds: number;
    /** How many database/coordinator backups to keep. */
    backupKeep: number;
    outboxMaxEvents: number;
    outboxMaxMegabytes: number;
    outboxMaxAgeHours: number;
  };
  lan: {
    /** The local API (gRPC over TLS) for apps and hubctl on the LAN. */
    enabled: boolean;
    /** Address to listen on ("0.0.0.0" all IPv4, "::" all, "127.0.0.1" this machine only). */
    listen: string;
    /** 0 picks a free port (tests). */
    port: number;
    /** Advertise the API over mDNS/DNS-SD (_zigbee-hubd._tcp). */
    mdns: boolean;
    pairingWindowSeconds: number;
    /** Absolute path of the unix socket `hubctl admin` uses (its folder is made 0700). */
    adminSocket: string;
  };
  metrics: {
    /** A Prometheus endpoint (GET /metrics); off by default. */
    enabled: boolean;
    /** A loopback address only: the endpoint has no authentication. */
    listen: string;
    /** 0 picks a free port (tests). */
    port: number;
  };
}

export interface SchemaContext {
  /** Relative paths in the file are resolved against this folder. */
  baseDir: string;
  /** Used to derive the default gateway id. */
  hostname: string;
  source: string;
}

// Node timers overflow above 2^31-1 ms (~24.8 days); keep every duration below that.
const MAX_TIMER_SECONDS = 2_000_000;

export function readHubConfig(top: ConfigSection, ctx: SchemaContext): HubConfig {
  const resolvePath = (p: string) => path.resolve(ctx.baseDir, p);
  const optionalPath = (section: ConfigSection, key: string) => {
    const value = section.optionalString(key);
    return value === undefined ? undefined : resolvePath(value);
  };

  const dataDir = resolvePath(top.string('data_dir', '/var/lib/zigbee-hubd'));
  const shutdownTimeoutSeconds = top.integer('shutdown_timeout_seconds', 30, { min: 1, max: 3600 });

  const serialIn = top.section('serial');
  const adapter = serialIn.oneOf('adapter', ADAPTERS, 'zstack');
  const serial: HubConfig['serial'] = {
    path: adapter === 'auto' ? (serialIn.optionalString('path', checkDiscoveryPath) ?? '') : serialIn.string('path', '/dev/ttyUSB0', checkSerialPath),
    adapter,
    baudRate: serialIn.integer('baud_rate', 115200, { min: 1200, max: 4_000_000 }),
    rtscts: serialIn.boolean('rtscts', false),
  };
  if (adapter === 'auto' && serial.path.startsWith('tcp://')) {
    serialIn.report(
      'adapter',
      `"auto" cannot tell which stack answers at ${serial.path} (zigbee-herdsman discovers USB sticks and mdns:// coordinators, not TCP addresses): set the stack, e.g. "zstack" for a TI CC2652 or the virtual coordinator`,
    );
  }
  serialIn.rejectUnknownKeys();

  const zigbeeIn = top.section('zigbee');
  const zigbee: HubConfig['zigbee'] = {
    channel: zigbeeIn.integer('channel', 11, { min: 11, max: 26 }),
    // 255 would mean "forever" to the radio; herdsman caps a timed window at 254.
    permitJoinMaxSeconds: zigbeeIn.integer('permit_join_max_seconds', 254, { min: 1, max: 254 }),
  };
  zigbeeIn.rejectUnknownKeys();

  const cloud = readCloud(top.section('cloud'), ctx, optionalPath);

  const logIn = top.section('log');
  const log: HubConfig['log'] = {
    level: logIn.oneOf('level', LOG_LEVELS, 'info'),
    format: logIn.oneOf('format', LOG_FORMATS, 'auto'),
    levels: readLogLevels(logIn.section('levels')),
    maxRepeatsPerMinute: logIn.integer('max_repeats_per_minute', 10, { min: 0, max: 100_000 }),
  };
  logIn.rejectUnknownKeys();

  const availabilityIn = top.section('availability');
  // Down to 1 s so tests and demos can watch a device go away; in production below a minute
  // mostly means pinging routers all the time (CONFIG.md says so).
  const mainsTimeoutSeconds = availabilityIn.integer('mains_timeout_seconds', 600, { min: 1, max: MAX_TIMER_SECONDS });
  const batteryTimeoutSeconds = availabilityIn.integer('battery_timeout_seconds', 90_000, { min: 1, max: MAX_TIMER_SECONDS });
  const availability: HubConfig['availability'] = {
    mainsTimeoutSeconds,
    batteryTimeoutSeconds,
    // A tenth of the shorter timeout (a device is noticed at most 10% late), at most a minute.
    checkIntervalSeconds: availabilityIn.integer('check_interval_seconds', defaultCheckIntervalSeconds(mainsTimeoutSeconds, batteryTimeoutSeconds), {
      min: 1,
      max: 3600,
    }),
  };
  availabilityIn.rejectUnknownKeys();

  const storeIn = top.section('store');
  const store: HubConfig['store'] = {
    commitIntervalMs: storeIn.integer('commit_interval_ms', 20, { min: 0, max: 1000 }),
    lastSeenFlushSeconds: storeIn.integer('last_seen_flush_seconds', 30, { min: 1, max: 3600 }),
    backupKeep: storeIn.integer('backup_keep', 7, { min: 1, max: 1000 }),
    // Offline bounds of the outbox: beyond any of them the oldest telemetry is dropped (with a gap
    // event saying what), never join/leave/command results. Defaults keep a week of a busy home.
    outboxMaxEvents: storeIn.integer('outbox_max_events', 500_000, { min: 1000, max: 100_000_000 }),
    outboxMaxMegabytes: storeIn.integer('outbox_max_megabytes', 100, { min: 1, max: 100_000 }),
    outboxMaxAgeHours: storeIn.integer('outbox_max_age_hours', 168, { min: 1, max: 24 * 365 }),
  };
  storeIn.rejectUnknownKeys();

  const lanIn = top.section('lan');
  const lan: HubConfig['lan'] = {
    enabled: lanIn.boolean('enabled', true),
    listen: lanIn.string('listen', '0.0.0.0', checkListenAddress),
    port: lanIn.integer('port', 8443, { min: 0, max: 65535 }),
    mdns: lanIn.boolean('mdns', true),
    pairingWindowSeconds: lanIn.integer('pairing_window_seconds', 120, { min: 10, max: 600 }),
    adminSocket: resolvePath(lanIn.string('admin_socket', path.join(dataDir, 'admin', 'lan.sock'))),
  };
  lanIn.rejectUnknownKeys();

  const metricsIn = top.section('metrics');
  const metrics: HubConfig['metrics'] = {
    enabled: metricsIn.boolean('enabled', false),
    listen: metricsIn.string('listen', '127.0.0.1', checkLoopbackAddress),
    port: metricsIn.integer('port', 9464, { min: 0, max: 65535 }),
  };
  metricsIn.rejectUnknownKeys();

  top.rejectUnknownKeys();
  return { source: ctx.source, dataDir, shutdownTimeoutSeconds, serial, zigbee, cloud, log, availability, store, lan, metrics };
}

const NAMESPACE = /^[a-z][a-z0-9_-]*(:[a-z0-9_-]+)*$/;

function readLogLevels(levelsIn: ConfigSection): Record<string, LogLevel> {
  const levels: Record<string, LogLevel> = {};
  for (const ns of levelsIn.keys()) {
    const level = levelsIn.oneOf(ns, LOG_LEVELS, 'info');
    if (NAMESPACE.test(ns)) levels[ns] = level;
    else levelsIn.report(undefined, `"${ns}" is not a log namespace: expected lower-case names such as "zigbee" or "zigbee:herdsman"`);
  }
  levelsIn.rejectUnknownKeys();
  return levels;
}

function defaultCheckIntervalSeconds(mainsTimeoutSeconds: number, batteryTimeoutSeconds: number): number {
  return Math.min(60, Math.max(1, Math.round(Math.min(mainsTimeoutSeconds, batteryTimeoutSeconds) / 10)));
}

function readCloud(
  cloudIn: ConfigSection,
  ctx: SchemaContext,
  optionalPath: (section: ConfigSection, key: string) => string | undefined,
): HubConfig['cloud'] {
  const target = cloudIn.optionalString('target', (t) => {
    const parsed = parseHostPort(t);
    return typeof parsed === 'string' ? parsed : undefined;
  });
  const cloud: HubConfig['cloud'] = {
    // Setting a target is the usual way to say "connect"; enabled: false keeps it configured but off.
    enabled: cloudIn.boolean('enabled', target !== undefined),
    target,
    gatewayId: cloudIn.string('gateway_id', gatewayIdFromHostname(ctx.hostname), checkGatewayId),
    insecure: cloudIn.boolean('insecure', false),
    caFile: optionalPath(cloudIn, 'ca_file'),
    certFile: optionalPath(cloudIn, 'cert_file'),
    keyFile: optionalPath(cloudIn, 'key_file'),
    tokenFile: optionalPath(cloudIn, 'token_file'),
  };

  if (cloud.enabled && cloud.target === undefined) cloudIn.report('target', 'required when cloud.enabled is true');
  if (cloud.insecure && cloud.target !== undefined) {
    // The same rule the cloud link applies when it starts (an unparsable target is reported above).
    if (typeof parseHostPort(cloud.target) !== 'string' && !isLoopbackTarget(cloud.target)) {
      cloudIn.report('insecure', `plaintext is only allowed to a loopback target (localhost, 127.x.x.x, ::1), not "${cloud.target}"`);
    }
  }
  if ((cloud.certFile === undefined) !== (cloud.keyFile === undefined)) {
    cloudIn.report(cloud.certFile === undefined ? 'cert_file' : 'key_file', 'cert_file and key_file go together (mTLS client identity)');
  }
  if (cloud.enabled && !cloud.insecure && cloud.certFile === undefined && cloud.tokenFile === undefined) {
    cloudIn.report(undefined, 'needs a gateway identity: cert_file + key_file (mTLS) or token_file');
  }
  cloudIn.rejectUnknownKeys();
  return cloud;
}

function checkListenAddress(value: string): string | undefined {
  return net.isIP(value) !== 0 || value === 'localhost' ? undefined : `expected an IP address such as 0.0.0.0, :: or 192.168.1.10, got ${JSON.stringify(value)}`;
}

function checkLoopbackAddress(value: string): string | undefined {
  if (value === 'localhost' || value === '::1' || (net.isIPv4(value) && value.startsWith('127.'))) return undefined;
  return `must be a loopback address (127.0.0.1, ::1 or localhost): the endpoint has no authentication; got ${JSON.stringify(value)}`;
}

/** With adapter auto: a path as usual, or mdns://<service type> (herdsman's mDNS discovery). */
function checkDiscoveryPath(value: string): string | undefined {
  if (value.startsWith('mdns://')) return value.length > 'mdns://'.length ? undefined : 'expected mdns://<service type>, e.g. mdns://slzb-06';
  return checkSerialPath(value);
}

function checkSerialPath(value: string): string | undefined {
  if (value.startsWith('mdns://')) return 'an mdns:// path needs serial.adapter: auto (the radio type comes from the discovery)';
  if (value.startsWith('tcp://')) {
    const parsed = parseHostPort(value.slice('tcp://'.length));
    return typeof parsed === 'string' ? `expected tcp://host:port: ${parsed}` : undefined;
  }
  if (!value.startsWith('/')) return `expected a device path such as /dev/ttyUSB0 or tcp://host:port, got ${JSON.stringify(value)}`;
  return undefined;
}

/** "host:port" or "[v6]:port" -> parts, or a string saying what is wrong. */
export function parseHostPort(text: string): { host: string; port: number } | string {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:/\s[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return `expected host:port (e.g. cloud.example.com:443 or [::1]:50051), got ${JSON.stringify(text)}`;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return `port must be between 1 and 65535, got ${port}`;
  return { host: (match[1] ?? match[2])!, port };
}

const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkGatewayId(value: string): string | undefined {
  return GATEWAY_ID.test(value) ? undefined : 'expected 1-64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit';
}

/** The hostname made into a valid gateway id ("Living Room Pi" -> "living-room-pi"). */
export function gatewayIdFromHostname(hostname: string): string {
  const id = hostname
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
  return id === '' ? 'zigbee-hub' : id;
}
