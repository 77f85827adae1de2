// Baseline: the emulator alone. The same reports from the same simulated devices, but the host
// end of the TCP link is a sink that only parses UNPI frames and counts them - no herdsman, no
// daemon. This is the most the bench can send on this machine, i.e. the ceiling any end-to-end
// figure is measured against. Run it after the daemon stopped: a new client takes over the link.
import net from 'node:net';
import type { VirtualCoordinator } from '../../virtual-coordinator/coordinator.js';
import { Subsystem, UnpiParser } from '../../virtual-coordinator/transport/unpi.js';
import { type ReportingDevice, ReportTracker } from './report-tracker.js';
import { ProgressSignal, sendUnpaced, type LoopResult } from './send-loops.js';

const AF_INCOMING_MSG = 0x81;

export async function measureEmulatorAlone(coordinator: VirtualCoordinator, devices: ReportingDevice[], count: number, window: number): Promise<LoopResult> {
  if (!coordinator.firmware.isCoordinator) throw new Error('the emulator is not running a network: nothing to send reports from');
  const socket = await connect(coordinator.port);
  try {
    const parser = new UnpiParser();
    const progress = new ProgressSignal();
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of parser.push(chunk)) if (frame.subsystem === Subsystem.AF && frame.command === AF_INCOMING_MSG) received++;
      progress.notify();
    });
    // Give the link a moment to take the new client as its host.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sender = new ReportTracker(devices);
    return await sendUnpaced({ send: () => sender.send(), inFlight: () => sender.sent - received, progress }, count, window);
  } finally {
    socket.destroy();
  }
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}
