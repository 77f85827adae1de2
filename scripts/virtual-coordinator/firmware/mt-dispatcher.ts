// Routes MT requests to handlers and guarantees the ZNP contract: every SREQ gets exactly
// one complete SRSP (a failure-shaped one when the request is malformed, unmodelled or its
// handler throws), and AREQs a handler produces go out after that SRSP. A throwing handler or
// follow-up is logged; it never reaches the transport.
import { ShortPayloadError } from './bytes.js';
import { failureResponse } from './failure-responses.js';
import { describeFrame, type MtFrame, MtType } from '../transport/unpi.js';

export interface ReplyContext {
  /** Queue an AREQ to be sent right after the SRSP. */
  areq(subsystem: number, command: number, data: Buffer): void;
  /** Run after the SRSP has been written (e.g. to start an over-the-air exchange). */
  after(fn: () => void): void;
}

/** Returns the SRSP data, or null to suppress the SRSP (only used by fault injection). */
export type SreqHandler = (data: Buffer, reply: ReplyContext) => Buffer | null;
export type AreqHandler = (data: Buffer) => void;

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

const key = (subsystem: number, command: number) => (subsystem << 8) | command;

export class MtDispatcher {
  private readonly sreqHandlers = new Map<number, SreqHandler>();
  private readonly areqHandlers = new Map<number, AreqHandler>();
  unhandled = 0;

  constructor(
    private readonly send: (frame: MtFrame) => void,
    private readonly log: Log,
  ) {}

  onSreq(subsystem: number, command: number, handler: SreqHandler): void {
    this.sreqHandlers.set(key(subsystem, command), handler);
  }

  onAreq(subsystem: number, command: number, handler: AreqHandler): void {
    this.areqHandlers.set(key(subsystem, command), handler);
  }

  /** Send an AREQ now. */
  areq(subsystem: number, command: number, data: Buffer): void {
    this.send({ type: MtType.AREQ, subsystem, command, data });
  }

  handle(frame: MtFrame): void {
    if (frame.type === MtType.SREQ) this.handleSreq(frame);
    else if (frame.type === MtType.AREQ) {
      const handler = this.areqHandlers.get(key(frame.subsystem, frame.command));
      if (!handler) {
        this.unhandled++;
        this.log('debug', `ignoring unmodelled AREQ ${describeFrame(frame)}`);
        return;
      }
      try {
        handler(frame.data);
      } catch (error) {
        this.log('warn', `AREQ ${describeFrame(frame)} failed: ${(error as Error).message}`);
      }
    }
  }

  private handleSreq(frame: MtFrame): void {
    const handler = this.sreqHandlers.get(key(frame.subsystem, frame.command));
    const queued: Array<() => void> = [];
    const reply: ReplyContext = {
      areq: (subsystem, command, data) => queued.push(() => this.areq(subsystem, command, data)),
      after: (fn) => queued.push(fn),
    };
    let data: Buffer | null;
    if (!handler) {
      this.unhandled++;
      this.log('debug', `unmodelled SREQ ${describeFrame(frame)}: answering with failure`);
      data = failureResponse(frame.subsystem, frame.command);
    } else {
      try {
        data = handler(frame.data, reply);
      } catch (error) {
        const why = error instanceof ShortPayloadError ? 'malformed' : 'failed';
        this.log('warn', `SREQ ${describeFrame(frame)} ${why}: ${(error as Error).message}`);
        data = failureResponse(frame.subsystem, frame.command);
        queued.length = 0;
      }
    }
    if (data !== null) this.send({ type: MtType.SRSP, subsystem: frame.subsystem, command: frame.command, data });
    // These run inside the TCP data handler: a throw would escape it and end the process.
    for (const fn of queued) {
      try {
        fn();
      } catch (error) {
        this.log('warn', `SREQ ${describeFrame(frame)}: follow-up after the SRSP failed: ${(error as Error).message}`);
      }
    }
  }
}
