// hubctl's groups, scenes, bindings and reporting: the LAN API's ListGroups..SetGroupState,
// ListScenes..RemoveScene, ListBindings, Bind, Unbind and ConfigureReporting (lan.proto).
import { fromStruct, toStruct } from '../../daemon/cloud/index.js';
import { need, parseAssignments } from './args.js';
import type { Wire } from './calls.js';
import { EXIT, UsageError } from './exit.js';
import { stateText, table } from './format.js';

export const GROUP_COMMANDS = ['groups', 'group', 'scenes', 'scene', 'bindings', 'bind', 'unbind', 'reporting'] as const;

export const GROUP_USAGE = `  groups                           group create NAME [--id N]
  group rename GROUP NEW-NAME      group delete GROUP
  group add|remove GROUP DEVICE [ENDPOINT]   (ENDPOINT: its name "left", its id, or the default)
  group set GROUP key=value ...    (GROUP: its id or name)
  scenes                           scene store TARGET SCENE-ID NAME
  scene recall|remove TARGET SCENE (TARGET: --group GROUP, or --device NAME [--endpoint E])
  bindings NAME
  bind|unbind NAME [--endpoint E] (--group GROUP | --to DEVICE [--to-endpoint E]) [--cluster C ...]
  reporting NAME CLUSTER ATTRIBUTE MIN MAX [CHANGE] [--endpoint E]`;

export interface GroupCommandFlags {
  group?: string | undefined;
  device?: string | undefined;
  endpoint?: string | undefined;
  to?: string | undefined;
  'to-endpoint'?: string | undefined;
  cluster?: string[] | undefined;
  id?: string | undefined;
}

type Call = (method: string, request?: Wire) => Promise<Wire>;
type Print = (human: string, json: unknown) => void;

export function isGroupCommand(command: string): boolean {
  return (GROUP_COMMANDS as readonly string[]).includes(command);
}

export async function groupCommand(command: string, args: string[], flags: GroupCommandFlags, call: Call, print: Print): Promise<number> {
  switch (command) {
    case 'groups': {
      const { groups } = await call('ListGroups');
      print(groupsTable(groups, await deviceNames(call)), groups.map((g: Wire) => ({ ...g, state: fromStruct(g['state']) })));
      return EXIT.ok;
    }
    case 'group':
      return group(args, flags, call, print);
    case 'scenes': {
      const { scenes } = await call('ListScenes');
      const names = await deviceNames(call);
      const groups = new Map<number, string>(((await call('ListGroups'))['groups'] as Wire[]).map((g) => [g['id'], g['name']]));
      const rows = [['TARGET', 'ID', 'NAME'], ...scenes.map((s: Wire) => [sceneTarget(s, names, groups), String(s['scene_id']), s['name']])];
      print(scenes.length === 0 ? 'no scenes' : table(rows), scenes);
      return EXIT.ok;
    }
    case 'scene':
      return scene(args, flags, call, print);
    case 'bindings': {
      const [name] = need(args, 1, 'bindings NAME');
      const reply = await call('ListBindings', { device: name });
      print(bindingsText(reply, await deviceNames(call)), reply);
      return EXIT.ok;
    }
    case 'bind':
    case 'unbind': {
      const [name] = need(args, 1, `${command} NAME [--endpoint E] (--group GROUP | --to DEVICE [--to-endpoint E]) [--cluster C ...]`);
      if ((flags.group === undefined) === (flags.to === undefined)) throw new UsageError(`${command} needs a target: --group GROUP or --to DEVICE (exactly one)`);
      const target = flags.group !== undefined ? { target_group: flags.group } : { target_device: flags.to, target_endpoint: flags['to-endpoint'] ?? '' };
      const reply = await call(command === 'bind' ? 'Bind' : 'Unbind', { device: name, endpoint: flags.endpoint ?? '', ...target, clusters: flags.cluster ?? [] });
      print(`${command === 'bind' ? 'bound' : 'unbound'} ${name} ${command === 'bind' ? 'to' : 'from'} ${flags.group !== undefined ? `group ${flags.group}` : flags.to}\n${bindingsText(reply, await deviceNames(call))}`, reply);
      return EXIT.ok;
    }
    case 'reporting': {
      const usage = 'reporting NAME CLUSTER ATTRIBUTE MIN MAX [CHANGE] [--endpoint E]';
      const [name, cluster, attribute, min, max, change] = need(args, 5, usage);
      const reply = await call('ConfigureReporting', {
        device: name,
        endpoint: flags.endpoint ?? '',
        cluster,
        attribute,
        minimum_interval: whole(min!, 'MIN', 65535),
        maximum_interval: whole(max!, 'MAX', 65535),
        reportable_change: change === undefined ? 0 : finite(change, 'CHANGE'),
      });
      print(`${name}: ${cluster} ${attribute} reported every ${min}..${max} s${change ? ` or on a change of ${change}` : ''}\n${bindingsText(reply, await deviceNames(call))}`, reply);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function group(args: string[], flags: GroupCommandFlags, call: Call, print: Print): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const [name] = need(rest, 1, 'group create NAME [--id N]');
      const id = flags.id === undefined ? 0 : whole(flags.id, '--id', 65527);
      const reply = await call('CreateGroup', { name, group_id: id });
      print(`created group ${reply['group_id']} "${name}"`, reply);
      return EXIT.ok;
    }
    case 'delete': {
      const [ref] = need(rest, 1, 'group delete GROUP');
      await call('DeleteGroup', { group: ref });
      print(`deleted group ${ref}`, {});
      return EXIT.ok;
    }
    case 'rename': {
      const [ref, name] = need(rest, 2, 'group rename GROUP NEW-NAME');
      await call('RenameGroup', { group: ref, name });
      print(`group ${ref} is now "${name}"`, {});
      return EXIT.ok;
    }
    case 'add':
    case 'remove': {
      const [ref, device, endpoint] = need(rest, 2, `group ${sub} GROUP DEVICE [ENDPOINT]`);
      await call(sub === 'add' ? 'AddGroupMember' : 'RemoveGroupMember', { group: ref, device, endpoint: endpoint ?? '' });
      print(`${sub === 'add' ? 'added' : 'removed'} ${device}${endpoint ? ` (${endpoint})` : ''} ${sub === 'add' ? 'to' : 'from'} group ${ref}`, {});
      return EXIT.ok;
    }
    case 'set': {
      const [ref, ...pairs] = need(rest, 2, 'group set GROUP key=value ...');
      const reply = await call('SetGroupState', { group: ref, state: toStruct(parseAssignments(pairs)) });
      const state = fromStruct(reply['state']);
      print(`group ${ref}: ${stateText(state) || 'sent'}`, state);
      return EXIT.ok;
    }
    default:
      throw new UsageError('usage: hubctl group create|rename|delete|add|remove|set ...');
  }
}

async function scene(args: string[], flags: GroupCommandFlags, call: Call, print: Print): Promise<number> {
  const [sub, ...rest] = args;
  if ((flags.group === undefined) === (flags.device === undefined)) {
    throw new UsageError(`scene ${sub ?? ''} needs a target: --group GROUP, or --device NAME [--endpoint E] (exactly one)`.replace('  ', ' '));
  }
  const target = flags.group !== undefined ? { group: flags.group } : { device: flags.device, endpoint: flags.endpoint ?? '' };
  const on = flags.group !== undefined ? `group ${flags.group}` : `${flags.device}${flags.endpoint ? ` (${flags.endpoint})` : ''}`;
  switch (sub) {
    case 'store': {
      const [id, name] = need(rest, 2, 'scene store TARGET SCENE-ID NAME');
      const reply = await call('StoreScene', { ...target, scene_id: whole(id!, 'SCENE-ID', 255), name });
      print(`stored scene ${reply['scene_id']} "${reply['name']}" on ${on}`, reply);
      return EXIT.ok;
    }
    case 'recall':
    case 'remove': {
      const [ref] = need(rest, 1, `scene ${sub} TARGET SCENE`);
      const reply = await call(sub === 'recall' ? 'RecallScene' : 'RemoveScene', { ...target, scene: ref });
      print(sub === 'recall' ? `recalled scene ${reply['scene_id']} "${reply['name']}" on ${on}` : `removed scene ${ref} from ${on}`, reply);
      return EXIT.ok;
    }
    default:
      throw new UsageError('usage: hubctl scene store|recall|remove ...');
  }
}

function whole(text: string, what: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) throw new UsageError(`${what} must be a whole number 0..${max}, got ${JSON.stringify(text)}`);
  return n;
}

function finite(text: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${what} must be a number, got ${JSON.stringify(text)}`);
  return n;
}

/** IEEE address -> friendly name, for the human tables (JSON output keeps the addresses). */
async function deviceNames(call: Call): Promise<Map<string, string>> {
  const { devices } = await call('ListDevices', { room: '' });
  return new Map((devices as Wire[]).map((d) => [d['ieee'], d['name']]));
}

export function groupsTable(groups: Wire[], names: Map<string, string>): string {
  if (groups.length === 0) return 'no groups';
  const rows = [['ID', 'NAME', 'MEMBERS', 'STATE']];
  for (const g of groups) {
    const members = (g['members'] as Wire[]).map((m) => `${names.get(m['ieee']) ?? m['ieee']}/${m['endpoint']}`).join(', ');
    rows.push([String(g['id']), g['name'], members || '-', stateText(fromStruct(g['state']))]);
  }
  return table(rows);
}

function sceneTarget(s: Wire, names: Map<string, string>, groups: Map<number, string>): string {
  if (s['group_id']) return `group ${s['group_id']}${groups.has(s['group_id']) ? ` (${groups.get(s['group_id'])})` : ''}`;
  return `${names.get(s['ieee']) ?? s['ieee']}/${s['endpoint']}`;
}

export function bindingsText(reply: Wire, names: Map<string, string>): string {
  const bindings = (reply['bindings'] ?? []) as Wire[];
  const reporting = (reply['reporting'] ?? []) as Wire[];
  const target = (b: Wire) => (b['target_group_id'] ? `group ${b['target_group_id']}` : `${names.get(b['target_ieee']) ?? b['target_ieee']}/${b['target_endpoint']}`);
  const lines = [
    bindings.length === 0 ? 'no bindings' : table([['ENDPOINT', 'CLUSTER', 'TARGET'], ...bindings.map((b) => [String(b['endpoint']), b['cluster'], target(b)])]),
    reporting.length === 0
      ? 'no reporting configured'
      : table([
          ['ENDPOINT', 'CLUSTER', 'ATTRIBUTE', 'MIN', 'MAX', 'CHANGE'],
          ...reporting.map((r) => [String(r['endpoint']), r['cluster'], r['attribute'], String(r['minimum_interval']), String(r['maximum_interval']), String(r['reportable_change'])]),
        ]),
  ];
  return lines.join('\n\n');
}
