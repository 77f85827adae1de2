// Workarounds for zigbee-herdsman behaviour we depend on, each kept small and defensive
// (they reach into private fields, so each checks the shape and does nothing otherwise).

interface Clearable {
  clear(): void;
}

/**
 * zigbee-herdsman 10.9.x (z-stack adapter) debounces a route discovery per end device that
 * announced itself, with a 60 s timer that stop() does not clear: the process then cannot
 * exit for up to a minute after a clean shutdown. The debouncer runs immediately, the timer
 * only re-arms it, so clearing it after stop loses nothing.
 */
export function releaseAdapterTimers(controller: object): void {
  const adapter = (controller as { adapter?: unknown }).adapter;
  const debouncers = (adapter as { deviceAnnounceRouteDiscoveryDebouncers?: unknown } | undefined)
    ?.deviceAnnounceRouteDiscoveryDebouncers;
  if (!(debouncers instanceof Map)) return;
  for (const debouncer of debouncers.values()) {
    if (typeof (debouncer as Partial<Clearable>).clear === 'function') (debouncer as Clearable).clear();
  }
  debouncers.clear();
}
