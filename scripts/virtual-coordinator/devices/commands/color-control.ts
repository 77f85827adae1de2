// lightingColorCtrl (0x0300) server commands used by colour-temperature and xy lights,
// ZCL 5.2.2.3. Transitions are applied at once.

import { Status } from '../zcl/status.js';
import { hueSaturationCommands } from './color-hue-saturation.js';
import type { CommandHandler, EndpointState } from './types.js';

export const COLOR_CONTROL = 0x0300;
const ATTR_CURRENT_X = 0x0003;
const ATTR_CURRENT_Y = 0x0004;
const ATTR_COLOR_TEMPERATURE = 0x0007;
const ATTR_COLOR_MODE = 0x0008;
const ATTR_ENHANCED_COLOR_MODE = 0x4001;
const ATTR_PHYSICAL_MIN = 0x400b;
const ATTR_PHYSICAL_MAX = 0x400c;
const MODE_XY = 1;
const MODE_COLOR_TEMPERATURE = 2;

function setMode(state: EndpointState, mode: number): void {
  if (state.get(COLOR_CONTROL, ATTR_COLOR_MODE) !== undefined) state.set(COLOR_CONTROL, ATTR_COLOR_MODE, mode);
  if (state.get(COLOR_CONTROL, ATTR_ENHANCED_COLOR_MODE) !== undefined) state.set(COLOR_CONTROL, ATTR_ENHANCED_COLOR_MODE, mode);
}

/** Mireds clamped to the lamp's physical range (ZCL: out-of-range targets go to the limit). */
function setColorTemperature(state: EndpointState, mireds: number): void {
  const min = Number(state.get(COLOR_CONTROL, ATTR_PHYSICAL_MIN) ?? 0);
  const max = Number(state.get(COLOR_CONTROL, ATTR_PHYSICAL_MAX) ?? 0xfeff);
  state.set(COLOR_CONTROL, ATTR_COLOR_TEMPERATURE, Math.min(max, Math.max(min, mireds)));
  setMode(state, MODE_COLOR_TEMPERATURE);
}

export const colorControlCommands: CommandHandler = (commandId, payload, state) => {
  switch (commandId) {
    case 0x07: { // moveToColor(x, y, transition time)
      const x = payload.u16('color x');
      const y = payload.u16('color y');
      payload.u16('transition time');
      state.set(COLOR_CONTROL, ATTR_CURRENT_X, x);
      state.set(COLOR_CONTROL, ATTR_CURRENT_Y, y);
      setMode(state, MODE_XY);
      return { status: Status.SUCCESS };
    }
    case 0x0a: { // moveToColorTemp(mireds, transition time)
      const mireds = payload.u16('color temperature');
      payload.u16('transition time');
      if (state.get(COLOR_CONTROL, ATTR_COLOR_TEMPERATURE) === undefined) return { status: Status.UNSUP_CLUSTER_COMMAND };
      setColorTemperature(state, mireds);
      return { status: Status.SUCCESS };
    }
    case 0x47: // stopMoveStep: nothing is moving
      return { status: Status.SUCCESS };
    case 0x4c: { // stepColorTemp(mode 1 up / 3 down, step, transition time, min, max)
      const mode = payload.u8('step mode');
      const step = payload.u16('step size');
      payload.u16('transition time');
      const min = payload.u16('color temperature minimum');
      const max = payload.u16('color temperature maximum');
      if (mode !== 1 && mode !== 3) return { status: Status.INVALID_FIELD };
      const current = Number(state.get(COLOR_CONTROL, ATTR_COLOR_TEMPERATURE) ?? 0);
      let target = current + (mode === 1 ? step : -step);
      if (min > 0) target = Math.max(min, target);
      if (max > 0) target = Math.min(max, target);
      setColorTemperature(state, target);
      return { status: Status.SUCCESS };
    }
    default:
      return hueSaturationCommands(commandId, payload, state);
  }
};
