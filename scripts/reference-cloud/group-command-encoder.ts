// Group, scene and binding commands as the platform writes them -> their cloud.proto Command
// actions (CreateGroup .. SetGroupState, StoreScene, UseScene, Bind, ConfigureReporting), from
// the .proto alone. The cloud link names groups and scenes by id: a name (a LAN form) is refused.
import type { HubCommand } from '../../daemon/domain/events.js';
import { toStruct, type Plain } from '../lib/cloud-proto.js';

/** The action fields for the command, or undefined when it is none of these. */
export function encodeGroupCommand(command: HubCommand): Plain | undefined {
  switch (command.kind) {
    case 'create_group':
      return { create_group: { name: command.name, group_id: command.groupId ?? 0 } };
    case 'delete_group':
      return { delete_group: { group_id: byId('group', command.group) } };
    case 'rename_group':
      return { rename_group: { group_id: byId('group', command.group), name: command.name } };
    case 'add_group_member':
    case 'remove_group_member':
      return {
        change_group_member: {
          group_id: byId('group', command.group),
          ieee: command.ieee,
          ...(command.endpoint !== undefined ? { endpoint: command.endpoint } : {}),
          remove: command.kind === 'remove_group_member',
        },
      };
    case 'set_group_state':
      return { set_group_state: { group_id: byId('group', command.group), state: toStruct(command.state) } };
    case 'store_scene':
      return { store_scene: { ...sceneTarget(command.target), scene_id: command.sceneId, name: command.name } };
    case 'recall_scene':
    case 'remove_scene':
      return { use_scene: { ...sceneTarget(command.target), scene_id: byId('scene', command.scene), remove: command.kind === 'remove_scene' } };
    case 'bind': {
      const target = command.target;
      return {
        bind: {
          ieee: command.ieee,
          ...(command.endpoint !== undefined ? { endpoint: command.endpoint } : {}),
          ...('group' in target ? { target_group_id: byId('group', target.group) } : { target_ieee: target.ieee, ...(target.endpoint !== undefined ? { target_endpoint: target.endpoint } : {}) }),
          clusters: command.clusters ?? [],
          unbind: command.unbind === true,
        },
      };
    }
    case 'configure_reporting':
      return {
        configure_reporting: {
          ieee: command.ieee,
          ...(command.endpoint !== undefined ? { endpoint: command.endpoint } : {}),
          cluster: command.cluster,
          attribute: command.attribute,
          minimum_interval: command.minimumInterval,
          maximum_interval: command.maximumInterval,
          reportable_change: command.reportableChange,
        },
      };
    default:
      return undefined;
  }
}

function byId(what: 'group' | 'scene', ref: number | string): number {
  if (typeof ref !== 'number') throw new Error(`the cloud link names a ${what} by its id, not ${JSON.stringify(ref)}`);
  return ref;
}

function sceneTarget(target: Extract<HubCommand, { kind: 'store_scene' }>['target']): Plain {
  if ('group' in target) return { group_id: byId('group', target.group) };
  return { ieee: target.ieee, ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}) };
}
