// Cluster id -> handler of the cluster-specific commands a simulated device understands.

import { COLOR_CONTROL, colorControlCommands } from './color-control.js';
import { GROUPS, groupCommands } from './groups.js';
import { IAS_ZONE, IDENTIFY, iasZoneCommands, identifyCommands } from './identify-and-ias.js';
import { LEVEL_CONTROL, levelControlCommands } from './level-control.js';
import { ON_OFF, onOffCommands } from './on-off.js';
import { SCENES, sceneCommands } from './scenes.js';
import type { CommandHandler } from './types.js';

export const clusterCommandHandlers: ReadonlyMap<number, CommandHandler> = new Map([
  [IDENTIFY, identifyCommands],
  [GROUPS, groupCommands],
  [ON_OFF, onOffCommands],
  [LEVEL_CONTROL, levelControlCommands],
  [COLOR_CONTROL, colorControlCommands],
  [IAS_ZONE, iasZoneCommands],
  [SCENES, sceneCommands],
]);

export type { CommandHandler, CommandOutcome, EndpointState } from './types.js';
