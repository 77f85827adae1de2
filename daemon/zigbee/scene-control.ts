// Scenes (genScenes) on a group or on one endpoint of a device, sent as Zigbee2MQTT's
// scene_store / scene_recall / scene_remove converters send them: on a device the scene's
// group id is 0 and the device answers; on a group the frame is group-addressed (no answer)
// and every member endpoint stores or recalls its own scene (group id, scene id).
import type { DeviceState, Ieee } from '../domain/events.js';
import { describeError, ZigbeeError } from './errors.js';
import type { HerdsmanEndpoint, HerdsmanGroup } from './herdsman-types.js';
import type { Controller } from 'zigbee-herdsman';

export type SceneTarget = { group: number } | { ieee: Ieee; endpoint?: string };

/** Zigbee scene ids are one byte. */
export const MAX_SCENE_ID = 255;

export interface SceneControlOptions {
  controller: () => Controller;
  endpointOf: (ieee: Ieee, endpointName: string | undefined) => Promise<HerdsmanEndpoint>;
  /** Publishes state a recalled scene gives a device (screened and emitted like a report). */
  publish: (ieee: Ieee, state: DeviceState) => void;
}

type SceneCommand = 'store' | 'recall' | 'remove';

export class SceneControl {
  constructor(private readonly o: SceneControlOptions) {}

  /** Stores the target's current state as the scene; resolves with the endpoint (for a device). */
  async store(target: SceneTarget, sceneId: number): Promise<{ endpoint?: number }> {
    return this.send(target, sceneId, 'store');
  }

  /**
   * Recalls the scene; `restore` is the state the hub stored with it, per device, given back
   * at once (the devices report their own state too), as Zigbee2MQTT does.
   */
  async recall(target: SceneTarget, sceneId: number, restore: Record<Ieee, DeviceState> = {}): Promise<void> {
    await this.send(target, sceneId, 'recall');
    for (const [ieee, state] of Object.entries(restore)) if (Object.keys(state).length > 0) this.o.publish(ieee, state);
  }

  async remove(target: SceneTarget, sceneId: number): Promise<void> {
    await this.send(target, sceneId, 'remove');
  }

  private async send(target: SceneTarget, sceneId: number, command: SceneCommand): Promise<{ endpoint?: number }> {
    if (!Number.isInteger(sceneId) || sceneId < 0 || sceneId > MAX_SCENE_ID) {
      throw new ZigbeeError('invalid_value', `a scene id must be a whole number 0..${MAX_SCENE_ID}, got ${sceneId}`);
    }
    if ('group' in target) {
      const group = this.group(target.group);
      try {
        await group.command('genScenes', command, { groupid: group.groupID, sceneid: sceneId });
      } catch (error) {
        throw new ZigbeeError('device_error', `scene ${sceneId} ${command} on group ${group.groupID} failed: ${describeError(error)}`, { cause: error });
      }
      return {};
    }
    const endpoint = await this.o.endpointOf(target.ieee, target.endpoint);
    if (!endpoint.supportsInputCluster('genScenes')) throw new ZigbeeError('invalid_value', `${target.ieee} endpoint ${endpoint.ID} has no scenes (genScenes)`);
    let response: unknown;
    try {
      response = await endpoint.command('genScenes', command, { groupid: 0, sceneid: sceneId });
    } catch (error) {
      throw new ZigbeeError('device_error', `scene ${sceneId} ${command} on ${target.ieee} failed: ${describeError(error)}`, { cause: error });
    }
    // store and remove answer with a status of their own, recall with a default response
    // (statusCode), which herdsman's command() does not check.
    const answer = response as { status?: number; statusCode?: number } | undefined;
    const status = answer?.status ?? answer?.statusCode;
    if (status !== undefined && status !== 0) {
      throw new ZigbeeError('device_error', `${target.ieee} refused scene ${sceneId} ${command} (ZCL status 0x${status.toString(16)}${status === 0x8b ? ': not found' : status === 0x89 ? ': no space left' : ''})`);
    }
    return { endpoint: endpoint.ID };
  }

  private group(id: number): HerdsmanGroup {
    const group = this.o.controller().getGroupByID(id);
    if (!group) throw new ZigbeeError('unknown_device', `no group ${id} in the network`);
    return group;
  }
}
