// genGroups (0x0004) server commands, ZCL 3.6.2.3: membership is kept per endpoint so group
// casts reach only member endpoints. Group names are not stored (nameSupport = 0).

import { ByteWriter } from '../zcl/byte-reader.js';
import { Status } from '../zcl/status.js';
import type { CommandHandler } from './types.js';

export const GROUPS = 0x0004;
const CAPACITY = 16;

function skipName(payload: { hasMore(): boolean; u8(what: string): number; bytes(n: number, what: string): Buffer }): void {
  if (!payload.hasMore()) return; // some senders omit the empty name
  payload.bytes(payload.u8('group name length'), 'group name');
}

export const groupCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case 0x00: { // add(groupId, name) -> addRsp(status, groupId)
      const groupId = payload.u16('group id');
      skipName(payload);
      let status: number = Status.SUCCESS;
      if (state.groups.has(groupId)) status = 0x8a; // DUPLICATE_EXISTS
      else if (state.groups.size >= CAPACITY) status = Status.INSUFFICIENT_SPACE;
      else state.groups.add(groupId);
      return { status, response: { commandId: 0x00, payload: new ByteWriter().u8(status).u16(groupId).toBuffer() } };
    }
    case 0x01: { // view(groupId) -> viewRsp(status, groupId, name)
      const groupId = payload.u16('group id');
      const status = state.groups.has(groupId) ? Status.SUCCESS : Status.NOT_FOUND;
      return { status, response: { commandId: 0x01, payload: new ByteWriter().u8(status).u16(groupId).u8(0).toBuffer() } };
    }
    case 0x02: { // getMembership(count, ids) -> (capacity, count, ids)
      const count = payload.u8('group count');
      const asked = Array.from({ length: count }, () => payload.u16('group id'));
      const members = count === 0 ? [...state.groups] : asked.filter((id) => state.groups.has(id));
      const writer = new ByteWriter().u8(CAPACITY - state.groups.size).u8(members.length);
      for (const id of members) writer.u16(id);
      return { status: Status.SUCCESS, response: { commandId: 0x02, payload: writer.toBuffer() } };
    }
    case 0x03: { // remove(groupId) -> removeRsp(status, groupId)
      const groupId = payload.u16('group id');
      const status = state.groups.delete(groupId) ? Status.SUCCESS : Status.NOT_FOUND;
      return { status, response: { commandId: 0x03, payload: new ByteWriter().u8(status).u16(groupId).toBuffer() } };
    }
    case 0x04: // removeAll
      state.groups.clear();
      return { status: Status.SUCCESS };
    case 0x05: { // addIfIdentifying: we treat the device as identifying
      const groupId = payload.u16('group id');
      skipName(payload);
      if (state.groups.size < CAPACITY) state.groups.add(groupId);
      return { status: Status.SUCCESS };
    }
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
