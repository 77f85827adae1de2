// Per-device availability, as Zigbee2MQTT's per-device `availability: false` / `availability:
// {timeout}`: two device options the hub itself reads (not the converters), stored with the
// device's other options and set through the same command (set_device_options, LAN SetOptions,
// hubctl). `availability: false` takes the device out of the checks (never pinged, never marked
// unavailable for its silence); `availability_timeout_seconds` replaces the configured mains or
// battery timeout for it (a sensor that reports every 12 hours, a plug that should be known gone
// within a minute).

export const AVAILABILITY_OPTION = 'availability';
export const AVAILABILITY_TIMEOUT_OPTION = 'availability_timeout_seconds';
const HUB_OPTIONS = new Set([AVAILABILITY_OPTION, AVAILABILITY_TIMEOUT_OPTION]);
/** One week: beyond it a battery device's silence says nothing anyway. */
const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

export interface DeviceAvailabilitySettings {
  enabled: boolean;
  /** Replaces the configured timeout of the device's power class. */
  timeoutMs?: number;
}

/** Splits option changes into the hub's availability options and the converters' options. */
export function splitAvailabilityOptions(changes: Record<string, unknown>): { hub: Record<string, unknown>; converters: Record<string, unknown> } {
  const hub: Record<string, unknown> = {};
  const converters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) (HUB_OPTIONS.has(key) ? hub : converters)[key] = value;
  return { hub, converters };
}

/** What is wrong with availability option changes, or undefined (null removes an option). */
export function availabilityOptionProblem(changes: Record<string, unknown>): string | undefined {
  const enabled = changes[AVAILABILITY_OPTION];
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') {
    return `option '${AVAILABILITY_OPTION}' must be true or false, got ${JSON.stringify(enabled)}`;
  }
  const timeout = changes[AVAILABILITY_TIMEOUT_OPTION];
  if (timeout !== undefined && timeout !== null && !(typeof timeout === 'number' && Number.isInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT_SECONDS)) {
    return `option '${AVAILABILITY_TIMEOUT_OPTION}' must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(timeout)}`;
  }
  return undefined;
}

/** The device's availability settings from its stored options (anything unexpected: the defaults). */
export function availabilitySettingsOf(options: Record<string, unknown> | undefined): DeviceAvailabilitySettings {
  const timeout = options?.[AVAILABILITY_TIMEOUT_OPTION];
  const settings: DeviceAvailabilitySettings = { enabled: options?.[AVAILABILITY_OPTION] !== false };
  if (typeof timeout === 'number' && timeout >= 1) settings.timeoutMs = timeout * 1000;
  return settings;
}
