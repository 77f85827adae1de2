// Watches the MT frames the host sends the virtual coordinator, for proofs about the radio:
// "nothing was re-paired" = the host never asked the stick to commission (form) a network again.
import { Subsystem } from '../../scripts/virtual-coordinator/transport/unpi.js';
import type { VirtualCoordinator } from '../../scripts/virtual-coordinator/coordinator.js';

const BDB_START_COMMISSIONING = 0x05;

export interface CommissioningCounter {
  /** APP_CNF bdbStartCommissioning requests seen since the counter was attached. */
  readonly count: number;
}

export function countCommissioning(coordinator: VirtualCoordinator): CommissioningCounter {
  const counter = { count: 0 };
  coordinator.on('frame', (direction, frame) => {
    if (direction === 'rx' && frame.subsystem === Subsystem.APP_CNF && frame.command === BDB_START_COMMISSIONING) counter.count++;
  });
  return counter;
}
