// What a real coordinator's serial link can carry: the 115200-baud UART of a CC2652 stick,
// 8N1 (10 bits on the wire per byte), so 11,520 bytes/s. Every report reaches the host as one
// AF incomingMsg MT frame; its size on the wire sets how many reports/s the link can carry.
import type { VirtualCoordinator } from '../../virtual-coordinator/coordinator.js';
import { Subsystem } from '../../virtual-coordinator/transport/unpi.js';

export const SERIAL_BAUD = 115_200;
export const SERIAL_BYTES_PER_SECOND = SERIAL_BAUD / 10;
/** SOF, LEN, CMD0, CMD1 ... FCS around the data of every MT frame. */
const UNPI_OVERHEAD = 5;
const AF_INCOMING_MSG = 0x81;

/** Reports/s a 115200-baud link carries when each report is a frame of `frameBytes`. */
export function serialCeiling(frameBytes: number): number {
  return SERIAL_BYTES_PER_SECOND / frameBytes;
}

/** Watches the emulator's outgoing frames and keeps the size of the AF incomingMsg frames. */
export function watchIncomingMsgSizes(coordinator: VirtualCoordinator): { sizes: Set<number>; stop(): void } {
  const sizes = new Set<number>();
  const listener = (direction: 'rx' | 'tx', frame: { subsystem: number; command: number; data: Buffer }) => {
    if (direction === 'tx' && frame.subsystem === Subsystem.AF && frame.command === AF_INCOMING_MSG) sizes.add(frame.data.length + UNPI_OVERHEAD);
  };
  coordinator.on('frame', listener);
  return { sizes, stop: () => coordinator.off('frame', listener) };
}
