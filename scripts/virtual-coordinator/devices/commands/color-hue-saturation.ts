// lightingColorCtrl (0x0300) hue and saturation commands, ZCL 5.2.2.3, as extended colour lights
// (Philips Hue) do them. Transitions are applied at once.

import { Status } from '../zcl/status.js';
import type { CommandHandler, EndpointState } from './types.js';

const COLOR_CONTROL = 0x0300;
const ATTR_CURRENT_HUE = 0x0000;
const ATTR_CURRENT_SATURATION = 0x0001;
const ATTR_COLOR_MODE = 0x0008;
const ATTR_ENHANCED_CURRENT_HUE = 0x4000;
const ATTR_ENHANCED_COLOR_MODE = 0x4001;
const MODE_HUE_SATURATION = 0;
const MODE_ENHANCED_HUE_SATURATION = 3;
const MAX_HUE = 254;
const MAX_SATURATION = 254;

function setHue(state: EndpointState, hue: number, enhancedHue?: number): void {
  state.set(COLOR_CONTROL, ATTR_CURRENT_HUE, hue);
  if (state.get(COLOR_CONTROL, ATTR_ENHANCED_CURRENT_HUE) !== undefined) state.set(COLOR_CONTROL, ATTR_ENHANCED_CURRENT_HUE, enhancedHue ?? hue << 8);
}

function setMode(state: EndpointState, enhanced: boolean): void {
  state.set(COLOR_CONTROL, ATTR_COLOR_MODE, MODE_HUE_SATURATION);
  if (state.get(COLOR_CONTROL, ATTR_ENHANCED_COLOR_MODE) !== undefined) {
    state.set(COLOR_CONTROL, ATTR_ENHANCED_COLOR_MODE, enhanced ? MODE_ENHANCED_HUE_SATURATION : MODE_HUE_SATURATION);
  }
}

/** The hue and saturation commands (colour-control.ts hands over every command it does not know). */
export const hueSaturationCommands: CommandHandler = (commandId, payload, state) => {
  const hasHue = state.get(COLOR_CONTROL, ATTR_CURRENT_HUE) !== undefined;
  switch (commandId) {
    case 0x00: { // moveToHue(hue, direction, transition time)
      const hue = payload.u8('hue');
      payload.u8('direction');
      payload.u16('transition time');
      if (!hasHue) return { status: Status.UNSUP_CLUSTER_COMMAND };
      if (hue > MAX_HUE) return { status: Status.INVALID_VALUE };
      setHue(state, hue);
      setMode(state, false);
      return { status: Status.SUCCESS };
    }
    case 0x03: { // moveToSaturation(saturation, transition time)
      const saturation = payload.u8('saturation');
      payload.u16('transition time');
      if (!hasHue) return { status: Status.UNSUP_CLUSTER_COMMAND };
      if (saturation > MAX_SATURATION) return { status: Status.INVALID_VALUE };
      state.set(COLOR_CONTROL, ATTR_CURRENT_SATURATION, saturation);
      setMode(state, false);
      return { status: Status.SUCCESS };
    }
    case 0x06: { // moveToHueAndSaturation(hue, saturation, transition time)
      const hue = payload.u8('hue');
      const saturation = payload.u8('saturation');
      payload.u16('transition time');
      if (!hasHue) return { status: Status.UNSUP_CLUSTER_COMMAND };
      if (hue > MAX_HUE || saturation > MAX_SATURATION) return { status: Status.INVALID_VALUE };
      setHue(state, hue);
      state.set(COLOR_CONTROL, ATTR_CURRENT_SATURATION, saturation);
      setMode(state, false);
      return { status: Status.SUCCESS };
    }
    case 0x40: { // enhancedMoveToHue(enhanced hue, direction, transition time)
      const enhancedHue = payload.u16('enhanced hue');
      payload.u8('direction');
      payload.u16('transition time');
      if (state.get(COLOR_CONTROL, ATTR_ENHANCED_CURRENT_HUE) === undefined) return { status: Status.UNSUP_CLUSTER_COMMAND };
      setHue(state, enhancedHue >> 8, enhancedHue);
      setMode(state, true);
      return { status: Status.SUCCESS };
    }
    case 0x43: { // enhancedMoveToHueAndSaturation(enhanced hue, saturation, transition time)
      const enhancedHue = payload.u16('enhanced hue');
      const saturation = payload.u8('saturation');
      payload.u16('transition time');
      if (state.get(COLOR_CONTROL, ATTR_ENHANCED_CURRENT_HUE) === undefined) return { status: Status.UNSUP_CLUSTER_COMMAND };
      if (saturation > MAX_SATURATION) return { status: Status.INVALID_VALUE };
      setHue(state, enhancedHue >> 8, enhancedHue);
      state.set(COLOR_CONTROL, ATTR_CURRENT_SATURATION, saturation);
      setMode(state, true);
      return { status: Status.SUCCESS };
    }
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
