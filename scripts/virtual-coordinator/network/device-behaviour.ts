// What the network needs from a simulated device. The devices/ SimulatedDevice class
// satisfies it; tests can pass any other implementation through `createDevice`.
import type { DeviceDefinition, ZclFrame, ZclValue } from '../devices/definition.js';

export interface DeviceIo {
  /** device -> coordinator (the network wraps it in an AF incomingMsg). */
  send(frame: ZclFrame): void;
}

export interface DeviceBehaviour {
  readonly definition: DeviceDefinition;
  receive(frame: ZclFrame): void;
  report(endpoint: number, cluster: number, attributes?: number[]): void;
  /** mode 'immediate' (default) reports the change at once; 'configured' only as configured reporting says. */
  set(endpoint: number, cluster: number, values: Record<number, ZclValue>, mode?: 'immediate' | 'configured'): void;
  press(action: string): void;
  start(): void;
  stop(): void;
  /** Power cut and back (optional: devices that cannot lose power leave them out). */
  powerOff?(): void;
  powerOn?(): void;
}

export type DeviceFactory = (definition: DeviceDefinition, io: DeviceIo) => DeviceBehaviour;
