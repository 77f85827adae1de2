// Benchmark (not a test): how many MT frames the virtual coordinator generates and how many
// request/response round trips it serves, measured by a bare TCP client over loopback.
//   npx tsx scripts/bench/virtual-coordinator.ts [--seconds 3] [--devices 10]
// Prints one JSON line. For scale: a real CC2652 on 115200 baud carries at most ~350 such
// incomingMsg frames/s, so the emulator must be far above that to never be the bottleneck.
import net from 'node:net';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startVirtualCoordinator } from '../virtual-coordinator/coordinator.js';
import { encodeFrame, type MtFrame, MtType, Subsystem, UnpiParser } from '../virtual-coordinator/transport/unpi.js';

export interface VirtualCoordinatorBenchResult {
  bench: 'virtual-coordinator';
  devices: number;
  reportFramesPerSecond: number;
  reportBytesPerSecond: number;
  roundTripsPerSecond: number;
  durationMs: number;
}

class BenchClient {
  private readonly parser = new UnpiParser();
  private listeners: Array<(f: MtFrame) => void> = [];
  incomingMsgs = 0;
  bytes = 0;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      for (const frame of this.parser.push(chunk)) {
        if (frame.type === MtType.AREQ && frame.subsystem === Subsystem.AF && frame.command === 0x81) this.incomingMsgs++;
        for (const l of this.listeners) l(frame);
      }
    });
  }
  send(type: MtType, subsystem: number, command: number, data: number[] | Buffer = []): void {
    this.socket.write(encodeFrame({ type, subsystem, command, data: Buffer.from(data) }));
  }
  next(match: (f: MtFrame) => boolean): Promise<MtFrame> {
    return new Promise((resolve) => {
      const listener = (f: MtFrame) => {
        if (!match(f)) return;
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(f);
      };
      this.listeners.push(listener);
    });
  }
}

const isAreq = (subsystem: number, command: number) => (f: MtFrame) => f.type === MtType.AREQ && f.subsystem === subsystem && f.command === command;

export async function runVirtualCoordinatorBench(options: { seconds?: number; devices?: number } = {}): Promise<VirtualCoordinatorBenchResult> {
  const seconds = options.seconds ?? 3;
  const deviceCount = options.devices ?? 10;
  const vc = await startVirtualCoordinator({});
  const socket = net.connect(vc.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.setNoDelay(true);
  const client = new BenchClient(socket);
  try {
    // Bring the network up the way a host would: startupFromApp, endpoint 1, permit join.
    const up = client.next((f) => isAreq(Subsystem.ZDO, 0xc0)(f) && f.data[0] === 9);
    client.send(MtType.SREQ, Subsystem.ZDO, 0x40, [100, 0]);
    await up;
    client.send(MtType.SREQ, Subsystem.AF, 0x00, [1, 0x04, 0x01, 0x05, 0x00, 0, 0, 0, 0]);
    client.send(MtType.SREQ, Subsystem.ZDO, 0x36, [0x0f, 0xfc, 0xff, 0xfe, 0x01]);
    await client.next((f) => f.type === MtType.SRSP && f.subsystem === Subsystem.ZDO && f.command === 0x36);
    const ieees = Array.from({ length: deviceCount }, () => vc.join('aqara-weather').ieee);
    const nwks = vc.devices().map((d) => d.nwk);
    await new Promise((resolve) => setTimeout(resolve, 200)); // announcements settle

    // 1) Reports pushed through the link as fast as the client takes them.
    const started = process.hrtime.bigint();
    const deadline = Date.now() + seconds * 1000;
    const startFrames = client.incomingMsgs;
    const startBytes = client.bytes;
    let value = 0;
    while (Date.now() < deadline) {
      for (let i = 0; i < 200; i++) {
        vc.set(ieees[i % ieees.length], 1, 'msTemperatureMeasurement', { measuredValue: 2000 + (value++ % 500) });
      }
      // Keep at most a few thousand frames in flight, so memory stays bounded and what is
      // counted was really delivered to the client.
      do await new Promise((r) => setImmediate(r));
      while (value - (client.incomingMsgs - startFrames) > 2000);
    }
    while (client.incomingMsgs - startFrames < value) await new Promise((r) => setTimeout(r, 5));
    const reportNs = Number(process.hrtime.bigint() - started);
    const frames = client.incomingMsgs - startFrames;

    // 2) Sequential round trips: AF dataRequest (ZCL read) -> SRSP + dataConfirm + incomingMsg.
    const rtStart = process.hrtime.bigint();
    const rtDeadline = Date.now() + seconds * 1000;
    let roundTrips = 0;
    while (Date.now() < rtDeadline) {
      const nwk = nwks[roundTrips % nwks.length];
      const tsn = roundTrips & 0xff;
      const zcl = [0x10, tsn, 0x00, 0x00, 0x00]; // read measuredValue
      const answered = client.next((f) => isAreq(Subsystem.AF, 0x81)(f) && f.data.readUInt16LE(4) === nwk && f.data.readUInt16LE(2) === 0x0402);
      client.send(MtType.SREQ, Subsystem.AF, 0x01, [nwk & 0xff, nwk >> 8, 1, 1, 0x02, 0x04, (roundTrips % 255) + 1, 0, 30, zcl.length, ...zcl]);
      await answered;
      roundTrips++;
    }
    const rtNs = Number(process.hrtime.bigint() - rtStart);
    return {
      bench: 'virtual-coordinator',
      devices: deviceCount,
      reportFramesPerSecond: Math.round(frames / (reportNs / 1e9)),
      reportBytesPerSecond: Math.round((client.bytes - startBytes) / (reportNs / 1e9)),
      roundTripsPerSecond: Math.round(roundTrips / (rtNs / 1e9)),
      durationMs: Math.round((reportNs + rtNs) / 1e6),
    };
  } finally {
    socket.destroy();
    await vc.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, devices: { type: 'string', default: '10' } } });
  const result = await runVirtualCoordinatorBench({ seconds: Number(values.seconds), devices: Number(values.devices) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
