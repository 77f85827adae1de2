// Fault modes of the reference cloud: the ways real platforms misbehave, to drive a gateway
// through its recovery paths on purpose. Settable at start (CLI flags) and at run time
// (control op "fault"). GOAWAY every K seconds is the server's max connection age (a start
// option: --goaway-every-seconds).
export interface CloudFaults {
  /** End each stream with UNAVAILABLE once it delivered this many events (they are acked first). */
  dropAfterEvents?: number;
  /** Stop reading each stream once it delivered this many events: a true stall (HTTP/2 flow control backs up, no Pong, no Ack). */
  stallAfterEvents?: number;
  /** Refuse new streams with UNAVAILABLE until this time (ms since the epoch). */
  refuseUntil?: number;
  /** Send each Ack this many ms late. */
  ackDelayMs?: number;
}

/** Checks a fault setting from a person (CLI or control line); throws naming what is wrong. */
export function faultsFrom(input: Record<string, unknown>, now: number): CloudFaults {
  const faults: CloudFaults = {};
  const count = (name: string): number | undefined => {
    const value = input[name];
    if (value === undefined || value === null) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number >= 0, got ${JSON.stringify(value)}`);
    return n;
  };
  const drop = count('dropAfterEvents');
  if (drop) faults.dropAfterEvents = drop;
  const stall = count('stallAfterEvents');
  if (stall) faults.stallAfterEvents = stall;
  const refuse = count('refuseSeconds');
  if (refuse) faults.refuseUntil = now + refuse * 1000;
  const delay = count('ackDelayMs');
  if (delay) faults.ackDelayMs = delay;
  return faults;
}

export function describeFaults(faults: CloudFaults, now: number): Record<string, number> {
  return {
    ...(faults.dropAfterEvents ? { dropAfterEvents: faults.dropAfterEvents } : {}),
    ...(faults.stallAfterEvents ? { stallAfterEvents: faults.stallAfterEvents } : {}),
    ...(faults.refuseUntil && faults.refuseUntil > now ? { refuseSeconds: Math.ceil((faults.refuseUntil - now) / 1000) } : {}),
    ...(faults.ackDelayMs ? { ackDelayMs: faults.ackDelayMs } : {}),
  };
}
