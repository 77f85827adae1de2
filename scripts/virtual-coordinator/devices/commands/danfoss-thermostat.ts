// Danfoss Ally's manufacturer-specific hvacThermostat command (manufacturer code 0x1246):
// setpointCommand(type, setpoint) is how the hub changes the setpoint; the valve takes it
// (type 1 "aggressive": it moves at once) and reports occupiedHeatingSetpoint, as the real one.

import { Status } from '../zcl/status.js';
import type { CommandHandler } from './types.js';

export const DANFOSS_MANUFACTURER_CODE = 0x1246;
const THERMOSTAT = 0x0201;
const ATTR_OCCUPIED_HEATING_SETPOINT = 0x0012;
const ATTR_MIN_HEAT_SETPOINT_LIMIT = 0x0015;
const ATTR_MAX_HEAT_SETPOINT_LIMIT = 0x0016;
const ATTR_SETPOINT_CHANGE_SOURCE = 0x0030;
const SOURCE_EXTERNAL = 2;

export const danfossThermostatCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case 0x40: { // setpointCommand(setpoint type: 0 schedule, 1 aggressive; setpoint in 0.01 °C)
      const type = payload.u8('setpoint type');
      const setpoint = payload.int(2, 'setpoint');
      const min = Number(state.get(THERMOSTAT, ATTR_MIN_HEAT_SETPOINT_LIMIT) ?? 500);
      const max = Number(state.get(THERMOSTAT, ATTR_MAX_HEAT_SETPOINT_LIMIT) ?? 3500);
      if (type > 1 || setpoint < min || setpoint > max) return { status: Status.INVALID_VALUE };
      state.set(THERMOSTAT, ATTR_OCCUPIED_HEATING_SETPOINT, setpoint);
      state.set(THERMOSTAT, ATTR_SETPOINT_CHANGE_SOURCE, SOURCE_EXTERNAL);
      return { status: Status.SUCCESS };
    }
    default:
      return { status: Status.UNSUP_MANUF_CLUSTER_COMMAND };
  }
};
