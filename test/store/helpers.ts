// Shared by the store tests: a recording logger, a fake clock, sample devices, and a raw
// read connection to look at the database file the way another process would.
import Database from 'better-sqlite3';
import type { DeviceDescription, HubEvent } from '../../daemon/domain/events.js';
import type { StoreClock, StoreLog } from '../../daemon/store/index.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

export function recordingLog(): StoreLog & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (msg: string, fields?: Record<string, unknown>) => {
    entries.push({ level, msg, ...(fields ? { fields } : {}) });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Timers fire only in advance(); advance() awaits whatever the fired callbacks return. */
export class FakeClock implements StoreClock {
  private timers = new Map<number, { due: number; fn: () => unknown }>();
  private nextId = 1;

  constructor(private current = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { due: this.current + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.due <= target).sort((a, b) => a[1].due - b[1].due)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].due);
      await due[1].fn();
    }
    this.current = target;
  }
}

export function device(n: number, over: Partial<DeviceDescription> = {}): DeviceDescription {
  return {
    ieee: '0x00158d00' + n.toString(16).padStart(8, '0'),
    nwk: 0x1000 + n,
    type: 'EndDevice',
    manufacturerCode: 0x115f,
    manufacturerName: 'LUMI',
    modelId: 'lumi.weather',
    powerSource: 'Battery',
    model: 'WSDCGQ11LM',
    vendor: 'Aqara',
    description: 'Temperature, humidity and pressure sensor',
    supported: true,
    interview: 'successful',
    endpoints: [{ id: 1, profileId: 260, deviceId: 24321, inClusters: [0, 3, 1026, 1029, 1027], outClusters: [0, 4] }],
    ...over,
  };
}

/** A second connection, as another process would see the file: only committed data. */
export function rawOpen(path: string): Database.Database {
  return new Database(path);
}

export function committedEvents(path: string): Array<{ seq: number; event: HubEvent }> {
  const db = rawOpen(path);
  try {
    return (db.prepare('SELECT seq, payload FROM outbox ORDER BY seq').all() as Array<{ seq: number; payload: string }>).map(
      (r) => ({ seq: r.seq, event: JSON.parse(r.payload) as HubEvent }),
    );
  } finally {
    db.close();
  }
}
