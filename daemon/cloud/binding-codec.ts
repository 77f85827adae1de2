// cloud.proto Bind / ConfigureReporting <-> the domain's binding commands.
import { normalizeIeee } from '../domain/device-names.js';
import type { BindingCommand, SceneTarget } from '../domain/events.js';
import { MAX_GROUP_ID, MIN_GROUP_ID } from '../domain/group-ids.js';
import type { WireCommand } from './wire.js';

const ENDPOINT_PATTERN = /^[A-Za-z0-9_]{1,32}$/;
/** A ZCL cluster or attribute name as herdsman knows it (genOnOff, currentLevel). */
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_CLUSTERS = 32;

type Decoded = { ok: true; command: BindingCommand } | { ok: false; problem: string };

/** undefined when the command is no binding command. */
export function decodeBindingCommand(wire: WireCommand, id: string, expiresAt: { expiresAt?: number }): Decoded | undefined {
  if (wire.bind) {
    const b = wire.bind;
    const ieee = normalizeIeee(b.ieee);
    if (!ieee) return { ok: false, problem: 'bind needs ieee as 0x + 16 hex digits' };
    const endpoint = endpointProblem('bind endpoint', b.endpoint);
    if (endpoint) return { ok: false, problem: endpoint };
    const groupId = b.target_group_id ?? 0;
    const targetIeee = (b.target_ieee ?? '') === '' ? undefined : normalizeIeee(b.target_ieee);
    if ((groupId !== 0) === ((b.target_ieee ?? '') !== '')) return { ok: false, problem: 'bind needs either target_group_id or target_ieee (exactly one)' };
    let target: SceneTarget;
    if (groupId !== 0) {
      if (!Number.isInteger(groupId) || groupId < MIN_GROUP_ID || groupId > MAX_GROUP_ID) return { ok: false, problem: `bind needs target_group_id ${MIN_GROUP_ID}..${MAX_GROUP_ID}, got ${groupId}` };
      target = { group: groupId };
    } else {
      if (!targetIeee) return { ok: false, problem: 'bind needs target_ieee as 0x + 16 hex digits' };
      const problem = endpointProblem('bind target_endpoint', b.target_endpoint);
      if (problem) return { ok: false, problem };
      target = { ieee: targetIeee, ...(b.target_endpoint ? { endpoint: b.target_endpoint } : {}) };
    }
    const clusters = b.clusters ?? [];
    if (clusters.length > MAX_CLUSTERS) return { ok: false, problem: `bind names more than ${MAX_CLUSTERS} clusters` };
    const bad = clusters.find((c) => typeof c !== 'string' || !NAME_PATTERN.test(c));
    if (bad !== undefined) return { ok: false, problem: `bind cluster ${JSON.stringify(String(bad).slice(0, 64))} is not a cluster name (e.g. genOnOff)` };
    return {
      ok: true,
      command: {
        kind: 'bind', id, ieee, ...(b.endpoint ? { endpoint: b.endpoint } : {}), target,
        ...(clusters.length > 0 ? { clusters: [...new Set(clusters)] } : {}), ...(b.unbind ? { unbind: true } : {}), ...expiresAt,
      },
    };
  }
  if (wire.configure_reporting) {
    const r = wire.configure_reporting;
    const ieee = normalizeIeee(r.ieee);
    if (!ieee) return { ok: false, problem: 'configure_reporting needs ieee as 0x + 16 hex digits' };
    const endpoint = endpointProblem('configure_reporting endpoint', r.endpoint);
    if (endpoint) return { ok: false, problem: endpoint };
    for (const [field, value] of [['cluster', r.cluster], ['attribute', r.attribute]] as const) {
      if (typeof value !== 'string' || !NAME_PATTERN.test(value)) return { ok: false, problem: `configure_reporting ${field} ${JSON.stringify(String(value ?? '').slice(0, 64))} is not a name (e.g. genLevelCtrl, currentLevel)` };
    }
    return {
      ok: true,
      command: {
        kind: 'configure_reporting', id, ieee, ...(r.endpoint ? { endpoint: r.endpoint } : {}), cluster: r.cluster!, attribute: r.attribute!,
        minimumInterval: r.minimum_interval ?? 0, maximumInterval: r.maximum_interval ?? 0, reportableChange: r.reportable_change ?? 0, ...expiresAt,
      },
    };
  }
  return undefined;
}

function endpointProblem(what: string, endpoint: string | undefined): string | undefined {
  if (endpoint === undefined || endpoint === '' || ENDPOINT_PATTERN.test(endpoint)) return undefined;
  return `${what} ${JSON.stringify(endpoint.slice(0, 64))} must be an endpoint name or id (letters, digits, _)`;
}

/** For the platform side (reference cloud, tests). */
export function encodeBindingCommand(command: BindingCommand, wire: WireCommand): void {
  if (command.kind === 'bind') {
    const t = command.target;
    if ('group' in t && typeof t.group !== 'number') throw new Error(`the cloud link names groups by id, not ${JSON.stringify(t.group)}`);
    wire.bind = {
      ieee: command.ieee,
      ...(command.endpoint !== undefined ? { endpoint: command.endpoint } : {}),
      ...('group' in t ? { target_group_id: t.group as number } : { target_ieee: t.ieee, ...(t.endpoint !== undefined ? { target_endpoint: t.endpoint } : {}) }),
      clusters: command.clusters ?? [],
      unbind: command.unbind === true,
    };
    return;
  }
  wire.configure_reporting = {
    ieee: command.ieee,
    ...(command.endpoint !== undefined ? { endpoint: command.endpoint } : {}),
    cluster: command.cluster,
    attribute: command.attribute,
    minimum_interval: command.minimumInterval,
    maximum_interval: command.maximumInterval,
    reportable_change: command.reportableChange,
  };
}
