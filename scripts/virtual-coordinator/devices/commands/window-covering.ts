// closuresWindowCovering (0x0102) server commands, ZCL 7.4.2.3, as a roller blind (IKEA FYRTUR)
// does them: the blind travels to the target and reports its lift position as it moves.
// currentPositionLiftPercentage is 0 when fully open, 100 when fully closed.

import { Status } from '../zcl/status.js';
import { halt, travel, type MotorAxis } from './motor.js';
import type { CommandHandler } from './types.js';

export const WINDOW_COVERING = 0x0102;
const ATTR_LIFT_PERCENTAGE = 0x0008;
const OPEN = 0;
const CLOSED = 100;

const lift: MotorAxis = {
  key: 'window-covering/lift',
  read: (state) => Number(state.get(WINDOW_COVERING, ATTR_LIFT_PERCENTAGE) ?? 0),
  write: (state, position) => state.set(WINDOW_COVERING, ATTR_LIFT_PERCENTAGE, position),
};

export const windowCoveringCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case 0x00: // upOpen
      travel(state, lift, OPEN);
      return { status: Status.SUCCESS };
    case 0x01: // downClose
      travel(state, lift, CLOSED);
      return { status: Status.SUCCESS };
    case 0x02: // stop
      halt(state, lift);
      return { status: Status.SUCCESS };
    case 0x05: { // goToLiftPercentage(percentage)
      const target = payload.u8('lift percentage');
      if (target > 100) return { status: Status.INVALID_FIELD };
      travel(state, lift, target);
      return { status: Status.SUCCESS };
    }
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
