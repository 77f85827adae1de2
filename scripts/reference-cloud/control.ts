// The reference cloud's control protocol: one JSON object per line in, one per line out.
// Spoken on stdin/stdout and, with --control-port, on a loopback TCP port, so a demo script
// or a person can drive the platform side. Requests (an optional "ref" is echoed back):
//   {"op":"command","gateway":"gw-1","command":{"kind":"set_state","ieee":"0x...","state":{"state":"ON"}}}
//   {"op":"command","gateway":"gw-1","command":{"kind":"permit_join","seconds":60},"timeoutMs":20000}
//   {"op":"command","gateway":"gw-1","command":{"kind":"rename_device","ieee":"0x...","name":"Kitchen lamp"}}
//   {"op":"command","gateway":"gw-1","command":{"kind":"set_room","ieee":"0x...","room":"Kitchen"}}   (room null: out of it)
//   {"op":"command","gateway":"gw-1","command":{"kind":"reinterview_device","ieee":"0x..."}}          (also reconfigure_device)
//   {"op":"command","gateway":"gw-1","command":{"kind":"remove_device","ieee":"0x...","force":true}}
//   {"op":"events","gateway":"gw-1","afterSeq":0}
//   {"op":"gateways"}
//   {"op":"acking","enabled":false}
//   {"op":"drop"}
//   {"op":"stall"}                         (open streams stop being read; new ones work)
//   {"op":"fault","dropAfterEvents":5,"stallAfterEvents":0,"refuseSeconds":10,"ackDelayMs":500}
//                                          (replaces the fault modes; 0 or absent = off)
// Responses: {"ok":true,...} or {"ok":false,"error":"..."}; a command answers with its
// command_result event once the gateway reports it.
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { describeFaults, faultsFrom } from './faults.js';
import type { CommandRequest, ReferenceCloud } from './server.js';

type Reply = Record<string, unknown>;

export async function handleControlLine(cloud: ReferenceCloud, line: string): Promise<Reply> {
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const ref = request.ref !== undefined ? { ref: request.ref } : {};
  try {
    return { ...ref, ...(await perform(cloud, request)) };
  } catch (error) {
    return { ...ref, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function perform(cloud: ReferenceCloud, request: Record<string, unknown>): Promise<Reply> {
  const gateway = typeof request.gateway === 'string' ? request.gateway : undefined;
  switch (request.op) {
    case 'command': {
      if (!gateway) throw new Error('"gateway" is required');
      if (typeof request.command !== 'object' || request.command === null) throw new Error('"command" object is required');
      const timeoutMs = typeof request.timeoutMs === 'number' ? request.timeoutMs : 30_000;
      const result = await cloud.sendCommand(gateway, request.command as CommandRequest, timeoutMs);
      return { ok: true, result };
    }
    case 'events': {
      if (!gateway) throw new Error('"gateway" is required');
      const afterSeq = typeof request.afterSeq === 'number' ? request.afterSeq : 0;
      return { ok: true, events: cloud.events(gateway).filter((e) => e.seq > afterSeq) };
    }
    case 'gateways':
      return { ok: true, gateways: cloud.connectedGateways() };
    case 'acking':
      cloud.setAcking(request.enabled !== false);
      return { ok: true };
    case 'drop':
      cloud.dropConnections();
      return { ok: true };
    case 'stall':
      cloud.stallConnections();
      return { ok: true };
    case 'fault': {
      const faults = faultsFrom(request, Date.now());
      cloud.setFaults(faults);
      return { ok: true, faults: describeFaults(faults, Date.now()) };
    }
    default:
      throw new Error(`unknown op ${JSON.stringify(request.op)}`);
  }
}

/** Serves the control protocol on input/output streams (stdin/stdout or a socket). */
export function serveControl(cloud: ReferenceCloud, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    // Replies may come back out of order (commands wait for results); "ref" correlates them.
    void handleControlLine(cloud, line).then((reply) => output.write(JSON.stringify(reply) + '\n'));
  });
}

/** A loopback TCP port speaking the control protocol; resolves with the bound port. */
export function listenControl(cloud: ReferenceCloud, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    serveControl(cloud, socket, socket);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}
