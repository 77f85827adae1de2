// The TCP stand-in for the stick's serial port: one client at a time; a new connection
// replaces the old one, the way reopening a serial port does.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { encodeFrame, type MtFrame, UnpiParser } from './unpi.js';

export interface TcpLinkEvents {
  frame: [frame: MtFrame];
  connected: [];
  disconnected: [];
}

export class TcpLink extends EventEmitter<TcpLinkEvents> {
  private readonly server: net.Server;
  private socket: net.Socket | undefined;
  private parser = new UnpiParser();
  /** Frames that could not be written because no client was connected. */
  droppedWhileDisconnected = 0;
  framesSent = 0;

  constructor() {
    super();
    this.server = net.createServer((socket) => this.accept(socket));
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  get parserStats() {
    return this.parser.stats;
  }

  send(frame: MtFrame): void {
    this.sendRaw(encodeFrame(frame));
  }

  sendRaw(bytes: Buffer): void {
    if (!this.connected) {
      this.droppedWhileDisconnected++;
      return;
    }
    this.framesSent++;
    this.socket!.write(bytes);
  }

  /** Cut the link, as if the USB cable was pulled. */
  disconnect(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.destroy();
      this.emit('disconnected');
    }
  }

  async close(): Promise<void> {
    this.disconnect();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (this.socket) this.disconnect();
    socket.setNoDelay(true);
    this.socket = socket;
    this.parser = new UnpiParser();
    const parser = this.parser;
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      for (const frame of parser.push(chunk)) this.emit('frame', frame);
    });
    socket.on('error', () => {
      /* a reset by the peer is routine; 'close' follows */
    });
    socket.on('close', () => {
      if (this.socket === socket) {
        this.socket = undefined;
        this.emit('disconnected');
      }
    });
    this.emit('connected');
  }
}
