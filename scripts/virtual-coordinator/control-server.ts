// Control port: JSON lines over TCP, one request per line, one reply per line
// ({"ok":true,...} or {"ok":false,"error":"..."}). Garbage gets an error, never a crash.
import net from 'node:net';
import { catalogue } from './devices/catalogue.js';
import type { DeviceDefinition, ZclValue } from './devices/definition.js';
import type { VirtualCoordinator } from './coordinator.js';
import type { FaultSpec } from './fault-injection.js';

/** A request line longer than this is refused (and the rest of it skipped). */
const MAX_LINE = 1024 * 1024;

type Request = Record<string, unknown>;
type Reply = Record<string, unknown>;

const COMMANDS = ['devices', 'network', 'join', 'leave', 'report', 'set', 'press', 'power', 'fault'];

function need<T>(request: Request, key: string, kind: 'string' | 'number' | 'boolean' | 'object'): T {
  const value = request[key];
  if (typeof value !== kind || value === null) throw new Error(`"${key}" must be a ${kind}`);
  return value as T;
}

function clusterOf(request: Request): string | number {
  const cluster = request.cluster;
  if (typeof cluster !== 'string' && typeof cluster !== 'number') throw new Error('"cluster" must be a name or a number');
  return cluster;
}

export function handleControlRequest(vc: VirtualCoordinator, request: Request): Reply {
  switch (request.cmd) {
    case 'devices':
      return {
        catalogue: Object.values(catalogue).map((d) => ({ id: d.id, description: d.description, logicalType: d.logicalType })),
        devices: vc.devices(),
      };
    case 'network':
      return { network: vc.networkSummary(), ieee: vc.ieee };
    case 'join': {
      const device = request.definition !== undefined ? need<DeviceDefinition>(request, 'definition', 'object') : need<string>(request, 'device', 'string');
      const parent = request.parent === undefined ? undefined : need<string>(request, 'parent', 'string');
      return { device: vc.join(device, parent ? { parent } : {}) };
    }
    case 'leave':
      vc.leave(need<string>(request, 'ieee', 'string'));
      return {};
    case 'report': {
      const attributes = request.attributes as Array<string | number> | Record<string, ZclValue> | undefined;
      if (attributes !== undefined && (typeof attributes !== 'object' || attributes === null)) throw new Error('"attributes" must be an object or an array');
      vc.report(need<string>(request, 'ieee', 'string'), need<number>(request, 'endpoint', 'number'), clusterOf(request), attributes);
      return {};
    }
    case 'set':
      vc.set(need<string>(request, 'ieee', 'string'), need<number>(request, 'endpoint', 'number'), clusterOf(request), need<Record<string, ZclValue>>(request, 'attributes', 'object'));
      return {};
    case 'press':
      vc.press(need<string>(request, 'ieee', 'string'), need<string>(request, 'action', 'string'));
      return {};
    case 'power':
      vc.power(need<string>(request, 'ieee', 'string'), need<boolean>(request, 'on', 'boolean'));
      return {};
    case 'fault': {
      const { cmd: _cmd, id: _id, ...spec } = request;
      vc.fault(spec as unknown as FaultSpec);
      return {};
    }
    default:
      throw new Error(`unknown cmd ${JSON.stringify(request.cmd)} (commands: ${COMMANDS.join(', ')})`);
  }
}

/** Parse one line and run it; always returns a reply object. */
export function answerControlLine(vc: VirtualCoordinator, line: string): Reply {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
  if (!request || typeof request !== 'object' || Array.isArray(request)) return { ok: false, error: 'a request is a JSON object like {"cmd":"devices"}' };
  const id = (request as Request).id;
  const withId = (reply: Reply) => (id === undefined ? reply : { ...reply, id });
  try {
    return withId({ ok: true, ...handleControlRequest(vc, request as Request) });
  } catch (error) {
    return withId({ ok: false, error: (error as Error).message });
  }
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

export async function startControlServer(vc: VirtualCoordinator, options: { port?: number; host?: string } = {}): Promise<ControlServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setEncoding('utf8');
    let buffered = '';
    let skipping = false;
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).replace(/\r$/, '');
        buffered = buffered.slice(newline + 1);
        if (skipping) {
          skipping = false;
          continue;
        }
        if (line.trim() === '') continue;
        socket.write(`${JSON.stringify(answerControlLine(vc, line), replacer)}\n`);
      }
      if (buffered.length > MAX_LINE) {
        buffered = '';
        if (!skipping) socket.write(`${JSON.stringify({ ok: false, error: `request line longer than ${MAX_LINE} bytes` })}\n`);
        skipping = true;
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
