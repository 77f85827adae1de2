// What a light is when power comes back, from its start-up attributes (ZCL 3.8.2.2.5,
// 3.10.2.3.14, 5.2.2.2.2.23): on/off by StartUpOnOff (0 off, 1 on, 2 toggle, 0xFF as before),
// level by StartUpCurrentLevel (0 minimum, 0xFF as before), colour temperature by
// StartUpColorTemperatureMireds (0xFFFF as before). A device without them keeps its state.

import type { ZclValue } from './definition.js';

const ON_OFF = 0x0006;
const LEVEL = 0x0008;
const COLOR = 0x0300;
const ATTR_ON_OFF = 0x0000;
const ATTR_START_UP_ON_OFF = 0x4003;
const ATTR_CURRENT_LEVEL = 0x0000;
const ATTR_START_UP_LEVEL = 0x4000;
const ATTR_COLOR_TEMPERATURE = 0x0007;
const ATTR_START_UP_COLOR_TEMPERATURE = 0x4010;
const MIN_LEVEL = 1;

export interface PowerOnAccess {
  get(endpoint: number, cluster: number, attrId: number): ZclValue | undefined;
  /** Sets without reporting: a device coming back says nothing about its state. */
  set(endpoint: number, cluster: number, values: Record<number, ZclValue>): void;
}

export function applyPowerOnBehaviour(endpoint: number, device: PowerOnAccess): void {
  const startUpOnOff = device.get(endpoint, ON_OFF, ATTR_START_UP_ON_OFF);
  const on = device.get(endpoint, ON_OFF, ATTR_ON_OFF);
  if (startUpOnOff !== undefined && on !== undefined) {
    const mode = Number(startUpOnOff);
    if (mode === 0) device.set(endpoint, ON_OFF, { [ATTR_ON_OFF]: false });
    else if (mode === 1) device.set(endpoint, ON_OFF, { [ATTR_ON_OFF]: true });
    else if (mode === 2) device.set(endpoint, ON_OFF, { [ATTR_ON_OFF]: !on });
  }
  const startUpLevel = device.get(endpoint, LEVEL, ATTR_START_UP_LEVEL);
  if (startUpLevel !== undefined && device.get(endpoint, LEVEL, ATTR_CURRENT_LEVEL) !== undefined && Number(startUpLevel) !== 0xff) {
    device.set(endpoint, LEVEL, { [ATTR_CURRENT_LEVEL]: Math.max(MIN_LEVEL, Number(startUpLevel)) });
  }
  const startUpMireds = device.get(endpoint, COLOR, ATTR_START_UP_COLOR_TEMPERATURE);
  if (startUpMireds !== undefined && device.get(endpoint, COLOR, ATTR_COLOR_TEMPERATURE) !== undefined && Number(startUpMireds) !== 0xffff) {
    device.set(endpoint, COLOR, { [ATTR_COLOR_TEMPERATURE]: Number(startUpMireds) });
  }
}
