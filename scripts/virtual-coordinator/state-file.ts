// The emulator's "flash chip" on disk: NV contents plus the devices that joined, as JSON,
// written atomically (tmp + fsync + rename + fsync of the folder) so that a crash never leaves
// half a file.
import fs from 'node:fs';
import { writeFileAtomic } from '../../daemon/ops/atomic-file.js';
import type { NvSnapshot } from './firmware/nv-store.js';
import type { PersistedNode } from './network/simulated-network.js';

export const STATE_FORMAT = 'zigbee-hubd/virtual-coordinator-state';

export interface EmulatorState {
  format: typeof STATE_FORMAT;
  version: 1;
  nv: NvSnapshot;
  devices: PersistedNode[];
}

// Device definitions hold ZCL values: bigint and Buffer need a JSON form. The replacer looks
// at the holder's raw value because toJSON runs first, and some libraries loaded in the same
// process (zigbee-herdsman) install a BigInt.prototype.toJSON that turns bigints into strings.
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (typeof raw === 'bigint') return { $bigint: raw.toString() };
  if (Buffer.isBuffer(raw)) return { $buffer: raw.toString('hex') };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object') {
    const v = value as { $bigint?: string; $buffer?: string };
    if (typeof v.$bigint === 'string' && Object.keys(v).length === 1) return BigInt(v.$bigint);
    if (typeof v.$buffer === 'string' && Object.keys(v).length === 1) return Buffer.from(v.$buffer, 'hex');
  }
  return value;
}

export function readStateFile(file: string): EmulatorState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text, reviver) as EmulatorState;
  if (state.format !== STATE_FORMAT || state.version !== 1) {
    throw new Error(`${file} is not a virtual coordinator state file (format ${String(state.format)}, version ${String(state.version)})`);
  }
  return state;
}

export function writeStateFile(file: string, state: EmulatorState): void {
  writeFileAtomic(file, JSON.stringify(state, replacer, 1));
}
