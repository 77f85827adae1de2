// closuresDoorLock (0x0101) server commands, ZCL 7.3.2.16, as a Yale Assure lock does them over
// the air: the bolt moves, the lock answers lock/unlockDoorRsp, reports lockState and sends an
// operation event notification (source RF) naming what happened.

import { ByteWriter } from '../zcl/byte-reader.js';
import { Status } from '../zcl/status.js';
import type { CommandHandler, EndpointState } from './types.js';

export const DOOR_LOCK = 0x0101;
const ATTR_LOCK_STATE = 0x0000;
const LOCKED = 1;
const UNLOCKED = 2;
const OPERATION_EVENT_NOTIFICATION = 0x20;
const SOURCE_RF = 1;
const EVENT_LOCK = 1;
const EVENT_UNLOCK = 2;

/** Seconds since 2000-01-01, the ZCL UTC epoch. */
function zigbeeTime(): number {
  return Math.floor(Date.now() / 1000) - 946_684_800;
}

/** Operation event notification: source, code, user id, PIN (octet string), local time, data (char string). */
export function operationEvent(source: number, eventCode: number, userId = 0): Buffer {
  return new ByteWriter().u8(source).u8(eventCode).u16(userId).u8(0).uint(zigbeeTime(), 4).u8(0).toBuffer();
}

function move(state: EndpointState, commandId: number, lockState: number, eventCode: number): { status: number; response: { commandId: number; payload: Buffer } } {
  state.set(DOOR_LOCK, ATTR_LOCK_STATE, lockState);
  state.notify(DOOR_LOCK, OPERATION_EVENT_NOTIFICATION, operationEvent(SOURCE_RF, eventCode));
  return { status: Status.SUCCESS, response: { commandId, payload: new ByteWriter().u8(Status.SUCCESS).toBuffer() } };
}

export const doorLockCommands: CommandHandler = (commandId, payload, state) => {
  // lockDoor, unlockDoor and toggle carry an optional PIN (octet string); this lock needs none over RF.
  if (commandId <= 0x02 && payload.hasMore()) payload.bytes(payload.u8('pin code length'), 'pin code');
  switch (commandId) {
    case 0x00: // lockDoor -> lockDoorRsp(status)
      return move(state, 0x00, LOCKED, EVENT_LOCK);
    case 0x01: // unlockDoor -> unlockDoorRsp(status)
      return move(state, 0x01, UNLOCKED, EVENT_UNLOCK);
    case 0x02: { // toggle -> toggleRsp(status)
      const locked = Number(state.get(DOOR_LOCK, ATTR_LOCK_STATE)) === LOCKED;
      return move(state, 0x02, locked ? UNLOCKED : LOCKED, locked ? EVENT_UNLOCK : EVENT_LOCK);
    }
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
