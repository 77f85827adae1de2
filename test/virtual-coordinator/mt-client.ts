// A bare MT/UNPI client over TCP for tests that talk to the firmware byte by byte.
import net from 'node:net';
import { encodeFrame, type MtFrame, MtType, UnpiParser } from '../../scripts/virtual-coordinator/transport/unpi.js';

export class MtClient {
  private readonly parser = new UnpiParser();
  private readonly frames: MtFrame[] = [];
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.parser.push(chunk));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(port: number): Promise<MtClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new MtClient(socket);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  writeRaw(bytes: Buffer | number[]): void {
    this.socket.write(Buffer.from(bytes));
  }

  send(subsystem: number, command: number, data: number[] | Buffer = [], type = MtType.SREQ): void {
    this.socket.write(encodeFrame({ type, subsystem, command, data: Buffer.from(data) }));
  }

  /** Next frame matching the predicate (earlier non-matching frames are kept). */
  async next(match: (f: MtFrame) => boolean, timeoutMs = 5000): Promise<MtFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0];
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async request(subsystem: number, command: number, data: number[] | Buffer = []): Promise<Buffer> {
    this.send(subsystem, command, data);
    const srsp = await this.next((f) => f.type === MtType.SRSP && f.subsystem === subsystem && f.command === command);
    return srsp.data;
  }

  async areq(subsystem: number, command: number, timeoutMs?: number): Promise<Buffer> {
    return (await this.next((f) => f.type === MtType.AREQ && f.subsystem === subsystem && f.command === command, timeoutMs)).data;
  }

  close(): void {
    this.socket.destroy();
  }
}
