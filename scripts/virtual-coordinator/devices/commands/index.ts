// Cluster id -> handler of the cluster-specific commands a simulated device understands.

import { COLOR_CONTROL, colorControlCommands } from './color-control.js';
import { DANFOSS_MANUFACTURER_CODE, danfossThermostatCommands } from './danfoss-thermostat.js';
import { DOOR_LOCK, doorLockCommands } from './door-lock.js';
import { GROUPS, groupCommands } from './groups.js';
import { IAS_ZONE, IDENTIFY, iasZoneCommands, identifyCommands } from './identify-and-ias.js';
import { LEVEL_CONTROL, levelControlCommands } from './level-control.js';
import { ON_OFF, onOffCommands } from './on-off.js';
import { TUYA, TUYA_COVER_QUIRK, tuyaCoverCommands } from './tuya-cover.js';
import { SCENES, sceneCommands } from './scenes.js';
import type { CommandHandler } from './types.js';
import { WINDOW_COVERING, windowCoveringCommands } from './window-covering.js';

export const clusterCommandHandlers: ReadonlyMap<number, CommandHandler> = new Map([
  [IDENTIFY, identifyCommands],
  [GROUPS, groupCommands],
  [ON_OFF, onOffCommands],
  [LEVEL_CONTROL, levelControlCommands],
  [COLOR_CONTROL, colorControlCommands],
  [IAS_ZONE, iasZoneCommands],
  [DOOR_LOCK, doorLockCommands],
  [WINDOW_COVERING, windowCoveringCommands],
  [SCENES, sceneCommands],
]);

/** Manufacturer-specific commands, keyed "manufacturer code/cluster id". */
const manufacturerCommandHandlers: ReadonlyMap<string, CommandHandler> = new Map([
  [`${DANFOSS_MANUFACTURER_CODE}/${0x0201}`, danfossThermostatCommands],
]);

/** Commands whose meaning depends on the device (a Tuya MCU's datapoints), keyed "quirk/cluster id". */
const quirkCommandHandlers: ReadonlyMap<string, CommandHandler> = new Map([
  [`${TUYA_COVER_QUIRK}/${TUYA}`, tuyaCoverCommands],
]);

/** The handler for a command on `cluster` (with its manufacturer code, if any) on a device with these quirks. */
export function commandHandlerFor(cluster: number, manufacturerCode: number | undefined, quirks: readonly string[]): CommandHandler | undefined {
  if (manufacturerCode !== undefined) return manufacturerCommandHandlers.get(`${manufacturerCode}/${cluster}`);
  for (const quirk of quirks) {
    const handler = quirkCommandHandlers.get(`${quirk}/${cluster}`);
    if (handler) return handler;
  }
  return clusterCommandHandlers.get(cluster);
}

export type { CommandHandler, CommandOutcome, EndpointState } from './types.js';
