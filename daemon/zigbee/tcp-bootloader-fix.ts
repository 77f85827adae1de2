// A workaround for zigbee-herdsman's Z-Stack link over TCP (adapter/z-stack/znp/znp.js, 10.9.5).
// At open herdsman first pings the stick (250 ms timeout) to learn whether it sits in a
// bootloader; a stick running ZNP answers in a few ms and the start goes on. Over a serial port
// it marks the link initialized before that ping. Over TCP (`tcp://`: network-attached sticks,
// the virtual coordinator) it does so only after it, so the ping throws "not initialized"
// unsent, herdsman takes the bootloader path (writes 0xEF, waits a fixed 1000 ms), and its
// second ping fails the same way: every TCP start paid 1 s, over a third of restart to ready
// with 200 devices (docs/BENCHMARKS.md), for nothing. Marking the open socket initialized first
// gives TCP the serial path: ping, and the bootloader wait only for a stick that does not answer.
// Installed only over the ordering it was written against; drop it once upstream is fixed.
import znpModule from 'zigbee-herdsman/dist/adapter/z-stack/znp/znp.js';

interface ZnpInternals {
  initialized: boolean;
  socketPort?: unknown;
}

type SkipBootloader = ((this: ZnpInternals) => Promise<void>) & { tcpFix?: true };

/** openSocketPort runs skipBootloader before it sets `initialized`: the bug this fixes. */
function isKnownLateInitialization(openSocketPort: unknown): boolean {
  if (typeof openSocketPort !== 'function') return false;
  const source = openSocketPort.toString();
  const skip = source.indexOf('skipBootloader()');
  const initialized = source.indexOf('initialized = true');
  return skip !== -1 && initialized > skip;
}

/** Replaces skipBootloader on herdsman's Znp prototype (one per process). Idempotent; returns whether it is in place. */
export function installTcpBootloaderFix(): boolean {
  const prototype = znpModule.Znp.prototype as unknown as Record<string, unknown>;
  const original = prototype.skipBootloader as SkipBootloader | undefined;
  if (typeof original !== 'function') return false;
  if (original.tcpFix) return true;
  if (!isKnownLateInitialization(prototype.openSocketPort)) return false;
  const fixed: SkipBootloader = async function (this: ZnpInternals) {
    // Only reached from openSocketPort's 'ready' (the socket is connected) or after the serial
    // port opened (already initialized): the ping may be sent.
    if (this.socketPort !== undefined) this.initialized = true;
    return original.call(this);
  };
  fixed.tcpFix = true;
  prototype.skipBootloader = fixed;
  return true;
}
