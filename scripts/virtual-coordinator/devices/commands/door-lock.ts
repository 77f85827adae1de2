// closuresDoorLock (0x0101) server commands, ZCL 7.3.2.16, as a Yale Assure lock does them over
// the air: the bolt moves, the lock answers lock/unlockDoorRsp, reports lockState and sends an
// operation event notification (source RF) naming what happened. PIN users are set, read and
// cleared, each change announced with a programming event notification.

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

const PROGRAMMING_EVENT_NOTIFICATION = 0x21;
const PIN_ADDED = 2;
const PIN_DELETED = 3;
const PIN_CHANGED = 4;
const ATTR_MAX_PIN_LENGTH = 0x0017;
const ATTR_MIN_PIN_LENGTH = 0x0018;
const ATTR_USERS = 0x0012;
const USER_AVAILABLE = 0;
const USER_TYPE_NONE = 0xff;

interface PinUser {
  status: number;
  type: number;
  pin: Buffer;
}

/** Programming event notification: source, code, user id, PIN, user type, user status, local time, data. */
function programmingEvent(eventCode: number, userId: number, user: { type: number; status: number }): Buffer {
  return new ByteWriter().u8(SOURCE_RF).u8(eventCode).u16(userId).u8(0).u8(user.type).u8(user.status).uint(zigbeeTime(), 4).u8(0).toBuffer();
}

const statusOnly = (commandId: number, status: number) => ({ status, response: { commandId, payload: new ByteWriter().u8(status).toBuffer() } });

/** PIN users (setPinCode, getPinCode, clearPinCode): kept in the lock, never as attributes. */
function pinCommand(commandId: number, payload: Parameters<CommandHandler>[1], state: EndpointState): ReturnType<CommandHandler> {
  const userId = payload.u16('user id');
  const key = `door-lock/pin/${userId}`;
  const known = state.memory.get(key) as PinUser | undefined;
  if (userId >= Number(state.get(DOOR_LOCK, ATTR_USERS) ?? 0)) {
    return commandId === 0x06 ? { status: Status.INVALID_FIELD } : statusOnly(commandId, Status.INVALID_FIELD);
  }
  switch (commandId) {
    case 0x05: { // setPinCode(user id, user status, user type, pin) -> setPinCodeRsp(status)
      const status = payload.u8('user status');
      const type = payload.u8('user type');
      const pin = payload.bytes(payload.u8('pin code length'), 'pin code');
      const min = Number(state.get(DOOR_LOCK, ATTR_MIN_PIN_LENGTH) ?? 4);
      const max = Number(state.get(DOOR_LOCK, ATTR_MAX_PIN_LENGTH) ?? 8);
      if (pin.length < min || pin.length > max || !/^[0-9]+$/.test(pin.toString('ascii'))) return statusOnly(0x05, Status.FAILURE);
      state.memory.set(key, { status, type, pin } satisfies PinUser);
      state.notify(DOOR_LOCK, PROGRAMMING_EVENT_NOTIFICATION, programmingEvent(known ? PIN_CHANGED : PIN_ADDED, userId, { type, status }));
      return statusOnly(0x05, Status.SUCCESS);
    }
    case 0x06: { // getPinCode(user id) -> getPinCodeRsp(user id, status, type, pin)
      const user = known ?? { status: USER_AVAILABLE, type: USER_TYPE_NONE, pin: Buffer.alloc(0) };
      const answer = new ByteWriter().u16(userId).u8(user.status).u8(user.type).u8(user.pin.length).push(user.pin).toBuffer();
      return { status: Status.SUCCESS, response: { commandId: 0x06, payload: answer } };
    }
    default: { // 0x07 clearPinCode(user id) -> clearPinCodeRsp(status)
      if (!known) return statusOnly(0x07, Status.FAILURE);
      state.memory.delete(key);
      state.notify(DOOR_LOCK, PROGRAMMING_EVENT_NOTIFICATION, programmingEvent(PIN_DELETED, userId, { type: USER_TYPE_NONE, status: USER_AVAILABLE }));
      return statusOnly(0x07, Status.SUCCESS);
    }
  }
}

export const doorLockCommands: CommandHandler = (commandId, payload, state) => {
  // lockDoor, unlockDoor and toggle carry an optional PIN (octet string); this lock needs none over RF.
  if (commandId <= 0x02 && payload.hasMore()) payload.bytes(payload.u8('pin code length'), 'pin code');
  if (commandId >= 0x05 && commandId <= 0x07) return pinCommand(commandId, payload, state);
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
