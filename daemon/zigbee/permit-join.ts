// Opening the network for new devices: never longer than the configured maximum (a request
// for more is cut to it, not refused), and, through one router (`via`), a request addressed to
// that router alone so the new device joins next to it instead of wherever it hears first.
import type { Ieee } from '../domain/events.js';
import type { DeviceLookup } from './device-lookup.js';
import { ZigbeeError } from './errors.js';
import type { ZigbeeLogger } from './types.js';

export interface PermitJoinOptions {
  lookup: DeviceLookup;
  maxSeconds: number;
  log: ZigbeeLogger;
}

export class PermitJoin {
  constructor(private readonly o: PermitJoinOptions) {}

  /** Resolves with the seconds actually granted; 0 closes the network (everywhere). */
  async open(seconds: number, via?: Ieee): Promise<number> {
    const controller = this.o.lookup.started();
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new ZigbeeError('invalid_value', `permit join needs a whole number of seconds >= 0, got ${seconds}`);
    }
    const router = via === undefined ? undefined : this.o.lookup.device(via);
    if (router && router.type !== 'Router') {
      throw new ZigbeeError('invalid_value', `permit join through ${via}: it is ${router.type === 'EndDevice' ? 'an end device' : `of type ${String(router.type)}`}, not a router`);
    }
    const bounded = Math.min(seconds, this.o.maxSeconds);
    await controller.permitJoin(bounded, router);
    this.o.log.info(bounded > 0 ? 'permit join opened' : 'permit join closed', { seconds: bounded, ...(via !== undefined ? { via } : {}) });
    return bounded;
  }
}
