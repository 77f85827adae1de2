// genIdentify (0x0003) and ssIasZone (0x0500) server commands: enough for herdsman's interview,
// which identifies devices and enrolls IAS zones (write CIE address, then enrollRsp).

import { ByteWriter } from '../zcl/byte-reader.js';
import { Status } from '../zcl/status.js';
import type { CommandHandler } from './types.js';

export const IDENTIFY = 0x0003;
export const IAS_ZONE = 0x0500;
const ATTR_IDENTIFY_TIME = 0x0000;
const ATTR_ZONE_STATE = 0x0000;
const ATTR_ZONE_ID = 0x0011;

export const identifyCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case 0x00: { // identify(seconds)
      const seconds = payload.u16('identify time');
      state.set(IDENTIFY, ATTR_IDENTIFY_TIME, seconds);
      if (seconds > 0) state.later(seconds * 1000, (s) => s.set(IDENTIFY, ATTR_IDENTIFY_TIME, 0));
      return { status: Status.SUCCESS };
    }
    case 0x01: { // identifyQuery -> identifyQueryRsp(timeout) only while identifying
      const remaining = Number(state.get(IDENTIFY, ATTR_IDENTIFY_TIME) ?? 0);
      if (remaining === 0) return { status: Status.SUCCESS };
      return { status: Status.SUCCESS, response: { commandId: 0x00, payload: new ByteWriter().u16(remaining).toBuffer() } };
    }
    case 0x40: // triggerEffect(effect id, variant): a blink nobody sees
      payload.u8('effect identifier');
      payload.u8('effect variant');
      return { status: Status.SUCCESS };
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};

export const iasZoneCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case 0x00: { // enrollRsp(response code, zone id)
      const code = payload.u8('enroll response code');
      const zoneId = payload.u8('zone id');
      if (code === 0) {
        state.set(IAS_ZONE, ATTR_ZONE_STATE, 1); // enrolled
        state.set(IAS_ZONE, ATTR_ZONE_ID, zoneId);
      }
      return { status: Status.SUCCESS };
    }
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
