// genOnOff (0x0006) server commands, ZCL 3.8.2.3.

import { Status } from '../zcl/status.js';
import type { CommandHandler, EndpointState } from './types.js';

export const ON_OFF = 0x0006;
const ATTR_ON_OFF = 0x0000;
const ATTR_ON_TIME = 0x4001;
const ATTR_OFF_WAIT_TIME = 0x4002;

export function isOn(state: EndpointState): boolean {
  return Boolean(state.get(ON_OFF, ATTR_ON_OFF));
}

export function setOn(state: EndpointState, on: boolean): void {
  if (state.get(ON_OFF, ATTR_ON_OFF) !== undefined) state.set(ON_OFF, ATTR_ON_OFF, on);
}

export const onOffCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case 0x00: // off
      setOn(state, false);
      return { status: Status.SUCCESS };
    case 0x01: // on
      setOn(state, true);
      return { status: Status.SUCCESS };
    case 0x02: // toggle
      setOn(state, !isOn(state));
      return { status: Status.SUCCESS };
    case 0x40: // offWithEffect: effect id, effect variant
      payload.u8('effect identifier');
      payload.u8('effect variant');
      setOn(state, false);
      return { status: Status.SUCCESS };
    case 0x41: // onWithRecallGlobalScene
      setOn(state, true);
      return { status: Status.SUCCESS };
    case 0x42: { // onWithTimedOff: on/off control, on time and off wait time in 1/10 s
      const control = payload.u8('on/off control');
      const onTime = payload.u16('on time');
      const offWaitTime = payload.u16('off wait time');
      // "accept only when on" (bit 0) ignores the command while the device is off
      if (control & 0x01 && !isOn(state)) return { status: Status.SUCCESS };
      setOn(state, true);
      if (state.get(ON_OFF, ATTR_ON_TIME) !== undefined) state.set(ON_OFF, ATTR_ON_TIME, onTime);
      if (state.get(ON_OFF, ATTR_OFF_WAIT_TIME) !== undefined) state.set(ON_OFF, ATTR_OFF_WAIT_TIME, offWaitTime);
      if (onTime > 0 && onTime < 0xffff) state.later(onTime * 100, (s) => setOn(s, false));
      return { status: Status.SUCCESS };
    }
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
