// genLevelCtrl (0x0008) server commands, ZCL 3.10.2.4. Transitions are applied at once: the
// device jumps to the target level (what the tests need; real bulbs ramp).

import { Status } from '../zcl/status.js';
import { setOn } from './on-off.js';
import type { CommandHandler, EndpointState } from './types.js';

export const LEVEL_CONTROL = 0x0008;
const ATTR_CURRENT_LEVEL = 0x0000;
const MIN_LEVEL = 1;
const MAX_LEVEL = 254;

function level(state: EndpointState): number {
  return Number(state.get(LEVEL_CONTROL, ATTR_CURRENT_LEVEL) ?? MAX_LEVEL);
}

/**
 * Sets the level. The *WithOnOff variants (ZCL 3.10.2.1.1) switch on before moving when the
 * command is a move-to-level above the minimum or a move/step up, whatever the current level
 * (so "on at 40%" works on a bulb that was off at 100%), and off when the minimum is reached;
 * level 0 means "off at minimum level".
 */
function moveTo(state: EndpointState, target: number, withOnOff: boolean, switchesOn: boolean): void {
  const clamped = Math.min(MAX_LEVEL, Math.max(MIN_LEVEL, target));
  state.set(LEVEL_CONTROL, ATTR_CURRENT_LEVEL, clamped);
  if (!withOnOff) return;
  if (clamped === MIN_LEVEL) setOn(state, false);
  else if (switchesOn) setOn(state, true);
}

export const levelControlCommands: CommandHandler = (commandId, payload, state) => {
  const withOnOff = commandId >= 0x04 && commandId <= 0x07;
  switch (commandId) {
    case 0x00:
    case 0x04: { // moveToLevel(level, transition time[, options mask, options override])
      const target = payload.u8('level');
      payload.u16('transition time');
      if (target === 0xff) return { status: Status.INVALID_FIELD };
      moveTo(state, target, withOnOff, target > MIN_LEVEL);
      return { status: Status.SUCCESS };
    }
    case 0x01:
    case 0x05: { // move(mode 0 up / 1 down, rate)
      const mode = payload.u8('move mode');
      payload.u8('rate');
      if (mode > 1) return { status: Status.INVALID_FIELD };
      moveTo(state, mode === 0 ? MAX_LEVEL : MIN_LEVEL, withOnOff, mode === 0);
      return { status: Status.SUCCESS };
    }
    case 0x02:
    case 0x06: { // step(mode 0 up / 1 down, step size, transition time)
      const mode = payload.u8('step mode');
      const size = payload.u8('step size');
      payload.u16('transition time');
      if (mode > 1) return { status: Status.INVALID_FIELD };
      moveTo(state, level(state) + (mode === 0 ? size : -size), withOnOff, mode === 0);
      return { status: Status.SUCCESS };
    }
    case 0x03:
    case 0x07: // stop: transitions are instant, nothing is moving
      return { status: Status.SUCCESS };
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
