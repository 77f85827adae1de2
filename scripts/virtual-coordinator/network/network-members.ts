// Devices that are already members of a network and stay in the air when the stick is
// replaced: in a home, the sensors and bulbs keep the network key, PAN and their addresses
// when the coordinator's USB stick dies. They are not in the new stick's NV; they take part
// again only once that stick runs the very network they hold (same extended PAN ID and network
// key, as a host restores from its coordinator backup), without joining or announcing, as real
// devices do. A stick that forms another network never hears them.
import type { NvSnapshot } from '../firmware/nv-store.js';
import { NvStore } from '../firmware/nv-store.js';
import { NvId } from '../firmware/nv-ids.js';
import { readNib } from '../firmware/nib.js';
import { readStateFile } from '../state-file.js';
import type { PersistedNode } from './simulated-network.js';

export interface NetworkMembers {
  /** The network the devices hold, as NV stores it (least significant byte first). */
  extendedPanIdLe: Buffer;
  networkKey: Buffer;
  devices: PersistedNode[];
}

/** What identifies a network to its members: extended PAN ID and key, from a stick's NV. */
export function networkIdentity(nv: NvStore): { extendedPanIdLe: Buffer; networkKey: Buffer } | undefined {
  const raw = nv.get(NvId.NIB);
  const nib = raw && readNib(raw);
  const keyInfo = nv.get(NvId.NWK_ACTIVE_KEY_INFO);
  if (!nib || nib.panId === 0xffff || nib.channel === 0 || !keyInfo || keyInfo.length < 17) return undefined;
  return { extendedPanIdLe: Buffer.from(nib.extendedPanIdLe), networkKey: Buffer.from(keyInfo.subarray(1, 17)) };
}

/** The devices of an old stick's state file with the network they were members of. */
export function membersOfStick(stateFile: string): NetworkMembers {
  const state = readStateFile(stateFile);
  if (!state) throw new Error(`${stateFile}: no such state file (the old stick's --state file)`);
  return membersOf(state.nv, state.devices, stateFile);
}

export function membersOf(nvSnapshot: NvSnapshot, devices: PersistedNode[], source: string): NetworkMembers {
  const nv = new NvStore();
  nv.restore(nvSnapshot);
  const identity = networkIdentity(nv);
  if (!identity) throw new Error(`${source}: that stick never ran a network, so its devices are members of none`);
  return { ...identity, devices };
}

/** True when the stick's NV runs the network the members hold. */
export function runsNetworkOf(nv: NvStore, members: NetworkMembers): boolean {
  const identity = networkIdentity(nv);
  return !!identity && identity.extendedPanIdLe.equals(members.extendedPanIdLe) && identity.networkKey.equals(members.networkKey);
}
