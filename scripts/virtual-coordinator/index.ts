// Public surface of the virtual coordinator (a Z-Stack 3.x CC2652 stand-in over TCP).
export {
  resolveDefinition,
  startVirtualCoordinator,
  VirtualCoordinator,
  type DeviceSummary,
  type NetworkSummary,
  type VirtualCoordinatorEvents,
  type VirtualCoordinatorOptions,
} from './coordinator.js';
export { answerControlLine, startControlServer, type ControlServer } from './control-server.js';
export type { FaultSpec } from './fault-injection.js';
export type { DeviceBehaviour, DeviceFactory, DeviceIo } from './network/device-behaviour.js';
export type { JoinOptions } from './network/simulated-network.js';
export type { MtFrame } from './transport/unpi.js';
