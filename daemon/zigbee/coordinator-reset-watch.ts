// Notices a coordinator that rebooted by itself. A Z-Stack stick that resets (watchdog, brown-out,
// a firmware assert) announces it with SYS resetInd (AREQ 0x41 0x80) and comes back without the
// endpoints the host registered; zigbee-herdsman 10.9.5 ignores that indication (the z-stack
// adapter's onZnpRecieved only handles ZDO and AF indications, and the controller has no event for
// it), so every later request fails with INVALID_PARAM until herdsman is started again. We listen
// for the indication on herdsman's ZNP object ourselves. It is a private field: the shape is checked
// and nothing happens for an adapter without it. Drop this once herdsman reports resets itself.

/** Z-Stack's reset reasons (SYS_RESET_IND's Reason byte). */
const RESET_REASONS: Record<number, string> = { 0: 'power-up', 1: 'external', 2: 'watchdog' };

interface ZnpObjectLike {
  type?: unknown;
  subsystem?: unknown;
  command?: { name?: unknown };
  payload?: { reason?: unknown };
}

interface EmitterLike {
  on(event: 'received', listener: (object: ZnpObjectLike) => void): unknown;
  off(event: 'received', listener: (object: ZnpObjectLike) => void): unknown;
}

const AREQ = 2;
const SUBSYSTEM_SYS = 1;

/**
 * Calls `onReset` with the reset reason whenever the coordinator announces a reset. Start it
 * only after herdsman's own start (which resets the stick on purpose) is done. Returns the
 * function that stops watching, or undefined when this adapter offers nothing to watch.
 */
export function watchCoordinatorResets(controller: object, onReset: (reason: string) => void): (() => void) | undefined {
  const znp = (controller as { adapter?: { znp?: unknown } }).adapter?.znp;
  if (!isEmitter(znp)) return undefined;
  const listener = (object: ZnpObjectLike) => {
    if (object?.type !== AREQ || object.subsystem !== SUBSYSTEM_SYS || object.command?.name !== 'resetInd') return;
    const reason = object.payload?.reason;
    onReset(typeof reason === 'number' ? (RESET_REASONS[reason] ?? `reason ${reason}`) : 'unknown reason');
  };
  znp.on('received', listener);
  return () => {
    znp.off('received', listener);
  };
}

function isEmitter(value: unknown): value is EmitterLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { on?: unknown }).on === 'function' &&
    typeof (value as { off?: unknown }).off === 'function'
  );
}
