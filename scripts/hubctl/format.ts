// hubctl's human output: aligned tables, units, relative times. --json prints the decoded
// messages instead (see lan.proto), for scripts.
import { fromStruct } from '../../daemon/cloud/index.js';

type Wire = Record<string, any>;

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd()).join('\n');
}

export function relativeTime(ms: number, now = Date.now()): string {
  if (!ms) return 'never';
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** "brightness=128 state=ON temperature=21.5 °C", units from the device's exposes. */
export function stateText(state: Record<string, unknown>, exposes: Wire[] = []): string {
  const units = new Map<string, string>();
  const walk = (list: Wire[]) => {
    for (const e of list) {
      if (e['property'] && e['unit']) units.set(e['property'], e['unit']);
      walk(e['features'] ?? []);
    }
  };
  walk(exposes);
  return Object.keys(state)
    .sort()
    .map((key) => `${key}=${typeof state[key] === 'object' ? JSON.stringify(state[key]) : String(state[key])}${units.has(key) ? ` ${units.get(key)}` : ''}`)
    .join(' ');
}

export function devicesTable(devices: Wire[], now = Date.now()): string {
  const rows = [['NAME', 'ROOM', 'MODEL', 'VENDOR', 'AVAILABLE', 'LAST SEEN', 'LQI', 'STATE']];
  for (const d of devices) {
    rows.push([
      d['name'],
      d['room'] ?? '',
      d['model'] ?? d['model_id'] ?? '?',
      d['vendor'] ?? d['manufacturer_name'] ?? '',
      d['left'] ? 'left' : d['available'] ? 'yes' : 'no',
      relativeTime(Number(d['last_seen_ms']), now),
      d['linkquality'] === undefined || d['linkquality'] === null ? '' : String(d['linkquality']),
      stateText(fromStruct(d['state']), d['exposes']),
    ]);
  }
  return table(rows);
}

export function deviceDetail(d: Wire, now = Date.now()): string {
  const lines = [
    table([
      ['name', d['name']],
      ['ieee', d['ieee']],
      ['room', d['room'] ?? '-'],
      ['model', `${d['model'] ?? d['model_id'] ?? '?'}${d['vendor'] ? ` (${d['vendor']})` : ''}${d['description'] ? `: ${d['description']}` : ''}`],
      ['power', d['power_source'] ?? '?'],
      ['available', d['left'] ? 'left the network' : d['available'] ? 'yes' : 'no'],
      ['last seen', relativeTime(Number(d['last_seen_ms']), now)],
      ['link quality', d['linkquality'] === undefined || d['linkquality'] === null ? '?' : String(d['linkquality'])],
      ['state', stateText(fromStruct(d['state']), d['exposes']) || '-'],
    ]),
  ];
  const exposes = flatExposes(d['exposes'] ?? []);
  if (exposes.length > 0) {
    lines.push('', table([['KEY', 'ACCESS', 'TYPE', 'RANGE / VALUES', 'UNIT'], ...exposes]));
  }
  return lines.join('\n');
}

function flatExposes(list: Wire[]): string[][] {
  const rows: string[][] = [];
  for (const e of list) {
    if (e['property']) {
      const access = Number(e['access'] ?? 0);
      const flags = `${access & 1 ? 'r' : '-'}${access & 2 ? 'w' : '-'}${access & 4 ? 'g' : '-'}`;
      rows.push([e['property'], flags, e['type'], rangeOf(e), e['unit'] ?? '']);
    }
    rows.push(...flatExposes(e['features'] ?? []));
  }
  return rows;
}

function rangeOf(e: Wire): string {
  if (e['type'] === 'numeric') {
    const min = e['value_min'] ?? '';
    const max = e['value_max'] ?? '';
    return min === '' && max === '' ? '' : `${min}..${max}`;
  }
  if (e['type'] === 'enum') return (e['values'] ?? []).map(valueText).join(', ');
  if (e['type'] === 'binary') return [e['value_on'], e['value_off']].filter(Boolean).map(valueText).join(' / ');
  return '';
}

function valueText(v: Wire): string {
  return v['stringValue'] ?? (v['numberValue'] !== undefined ? String(v['numberValue']) : v['boolValue'] !== undefined ? String(v['boolValue']) : '?');
}

/** One line per watched event. */
export function eventLine(item: Wire, names: Map<string, string>): string | undefined {
  if (item['snapshot']) return `snapshot: ${item['snapshot'].devices.length} devices, ${item['snapshot'].groups?.length ?? 0} groups at seq ${item['snapshot'].seq}`;
  const e = item['event'];
  if (!e) return undefined;
  const time = new Date(Number(e['at_ms'])).toLocaleTimeString();
  const kind = e['payload'] as string;
  const body = e[kind] ?? {};
  const who = body['ieee'] ? (names.get(body['ieee']) ?? body['ieee']) : '';
  switch (kind) {
    case 'state_changed': {
      const state = fromStruct(body['state']);
      const changed: string[] = body['changed'] ?? [];
      return `${time} ${who} ${stateText(Object.fromEntries(changed.map((k) => [k, state[k]])))}`;
    }
    case 'availability_changed':
      return `${time} ${who} ${body['available'] ? 'available' : 'unavailable'}`;
    case 'device_renamed':
      return `${time} ${body['ieee']} renamed to "${body['name']}"${body['room'] ? ` in ${body['room']}` : ''}`;
    case 'permit_join_changed':
      return `${time} permit join ${body['open'] ? `open for ${body['seconds']} s` : 'closed'}`;
    case 'device_interview':
      return `${time} ${who} interview ${String(body['status']).replace('INTERVIEW_STATUS_', '').toLowerCase()}`;
    case 'group_state_changed': {
      const state = fromStruct(body['state']);
      const changed: string[] = body['changed'] ?? [];
      return `${time} group ${body['group_id']} ${stateText(Object.fromEntries(changed.map((k) => [k, state[k]])))}`;
    }
    case 'group_changed': {
      const members = (body['members'] ?? []).map((m: Wire) => `${names.get(m['ieee']) ?? m['ieee']}/${m['endpoint']}`).join(', ');
      return `${time} group ${body['group_id']} "${body['name']}" ${body['deleted'] ? 'deleted' : `members: ${members || 'none'}`}`;
    }
    case 'health_changed':
      return `${time} health ${body['component']} ${body['status']}${body['reason'] ? `: ${body['reason']}` : ''}`;
    default:
      return `${time} ${kind.replace(/_/g, ' ')} ${who}`.trimEnd();
  }
}
