// genScenes (0x0005) server commands, ZCL 3.7.2.4: store, recall, view, remove and remove-all
// for real. A scene is kept per endpoint under (group id, scene id) — group id 0 for a scene
// of the endpoint alone — and holds the values of the endpoint's scene attributes (on/off,
// level, colour temperature and xy) as they were when it was stored; a recall sets them
// again, and they are reported like any change. `add` with extension fields is not supported
// (the hub stores scenes from the current state, as Zigbee2MQTT's scene_store does). The
// cluster's own attributes (count, current scene) are left as they are: a change to them would
// be reported at once by the simulated device, which real bulbs do not do unasked.

import type { ZclValue } from '../definition.js';
import { ByteWriter } from '../zcl/byte-reader.js';
import { Status } from '../zcl/status.js';
import type { CommandHandler, EndpointState } from './types.js';

export const SCENES = 0x0005;
const CAPACITY = 16;

/** The attributes a scene captures: [cluster, attribute]. */
const SCENE_ATTRIBUTES: ReadonlyArray<readonly [number, number]> = [
  [0x0006, 0x0000], // genOnOff onOff
  [0x0008, 0x0000], // genLevelCtrl currentLevel
  [0x0300, 0x0007], // lightingColorCtrl colorTemperature
  [0x0300, 0x0003], // currentX
  [0x0300, 0x0004], // currentY
];

export interface StoredScene {
  name: string;
  values: Array<{ cluster: number; attrId: number; value: ZclValue }>;
}

/** An endpoint's scenes, by "groupId/sceneId". */
export type SceneTable = Map<string, StoredScene>;

const key = (groupId: number, sceneId: number): string => `${groupId}/${sceneId}`;

/** A scene's group must be 0 (the endpoint alone) or one the endpoint is a member of (ZCL 3.7.2.4.*). */
function groupKnown(state: EndpointState, groupId: number): boolean {
  return groupId === 0 || state.groups.has(groupId);
}

export const sceneCommands: CommandHandler = (commandId, payload, state) => {
  const scenes = state.scenes;
  switch (commandId) {
    case 0x01: { // view(groupId, sceneId) -> viewRsp(status, groupId, sceneId[, transition, name, extensions])
      const groupId = payload.u16('group id');
      const sceneId = payload.u8('scene id');
      const scene = groupKnown(state, groupId) ? scenes.get(key(groupId, sceneId)) : undefined;
      const status = !groupKnown(state, groupId) ? Status.INVALID_FIELD : scene ? Status.SUCCESS : Status.NOT_FOUND;
      const writer = new ByteWriter().u8(status).u16(groupId).u8(sceneId);
      if (scene) writer.u16(0).u8(0); // transition time, empty name (nameSupport = 0), no extension fields
      return { status, response: { commandId: 0x01, payload: writer.toBuffer() } };
    }
    case 0x02: { // remove(groupId, sceneId) -> removeRsp(status, groupId, sceneId)
      const groupId = payload.u16('group id');
      const sceneId = payload.u8('scene id');
      const status = !groupKnown(state, groupId) ? Status.INVALID_FIELD : scenes.delete(key(groupId, sceneId)) ? Status.SUCCESS : Status.NOT_FOUND;
      return { status, response: { commandId: 0x02, payload: new ByteWriter().u8(status).u16(groupId).u8(sceneId).toBuffer() } };
    }
    case 0x03: { // removeAll(groupId) -> removeAllRsp(status, groupId)
      const groupId = payload.u16('group id');
      const status = groupKnown(state, groupId) ? Status.SUCCESS : Status.INVALID_FIELD;
      if (status === Status.SUCCESS) {
        for (const k of [...scenes.keys()]) if (k.startsWith(`${groupId}/`)) scenes.delete(k);
      }
      return { status, response: { commandId: 0x03, payload: new ByteWriter().u8(status).u16(groupId).toBuffer() } };
    }
    case 0x04: { // store(groupId, sceneId) -> storeRsp(status, groupId, sceneId)
      const groupId = payload.u16('group id');
      const sceneId = payload.u8('scene id');
      let status: number = Status.SUCCESS;
      if (!groupKnown(state, groupId)) status = Status.INVALID_FIELD;
      else if (!scenes.has(key(groupId, sceneId)) && scenes.size >= CAPACITY) status = Status.INSUFFICIENT_SPACE;
      else {
        const values = SCENE_ATTRIBUTES.flatMap(([cluster, attrId]) => {
          const value = state.get(cluster, attrId);
          return value === undefined ? [] : [{ cluster, attrId, value }];
        });
        scenes.set(key(groupId, sceneId), { name: '', values });
      }
      return { status, response: { commandId: 0x04, payload: new ByteWriter().u8(status).u16(groupId).u8(sceneId).toBuffer() } };
    }
    case 0x05: { // recall(groupId, sceneId[, transition time]) -> default response
      const groupId = payload.u16('group id');
      const sceneId = payload.u8('scene id');
      if (payload.hasMore()) payload.u16('transition time');
      const scene = groupKnown(state, groupId) ? scenes.get(key(groupId, sceneId)) : undefined;
      if (!scene) return { status: Status.NOT_FOUND };
      for (const { cluster, attrId, value } of scene.values) state.set(cluster, attrId, value);
      return { status: Status.SUCCESS };
    }
    case 0x06: { // getSceneMembership(groupId) -> (status, capacity, groupId[, count, scene ids])
      const groupId = payload.u16('group id');
      const known = groupKnown(state, groupId);
      const writer = new ByteWriter().u8(known ? Status.SUCCESS : Status.INVALID_FIELD).u8(CAPACITY - scenes.size).u16(groupId);
      if (known) {
        const ids = [...scenes.keys()].filter((k) => k.startsWith(`${groupId}/`)).map((k) => Number(k.split('/')[1]));
        writer.u8(ids.length);
        for (const id of ids) writer.u8(id);
      }
      return { status: Status.SUCCESS, response: { commandId: 0x06, payload: writer.toBuffer() } };
    }
    default:
      return { status: Status.UNSUP_CLUSTER_COMMAND };
  }
};
