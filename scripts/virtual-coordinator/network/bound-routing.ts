// APS binding, as a device's stack applies it: a command a device sends from a client cluster
// goes to every destination of its binding table for that endpoint and cluster (a device and
// endpoint, or a group), device to device over the air, whether or not the coordinator's host
// (the hub) is running. Frames to the coordinator itself keep their usual path.
import type { ZclFrame } from '../devices/definition.js';
import type { NetworkNode } from './simulated-network.js';
import { isZclResponse } from './zcl-peek.js';

const GROUP_MODE = 1;
/** ZCL frame control: cluster-specific frame, client to server (what a remote sends). */
const FRAME_TYPE_MASK = 0x03;
const CLUSTER_SPECIFIC = 0x01;
const SERVER_TO_CLIENT = 0x08;
const DISABLE_DEFAULT_RESPONSE = 0x10;

export interface BoundRoutingNetwork {
  nodes(): NetworkNode[];
  byIeee(ieee: string): NetworkNode | undefined;
  deliver(node: NetworkNode, frame: ZclFrame): void;
  readonly coordinatorIeee: string;
}

/** Delivers `frame` from `source` to the simulated devices its bindings name; returns how many got it. */
export function routeBound(network: BoundRoutingNetwork, source: NetworkNode, sent: ZclFrame): number {
  if (!isClientCommand(sent.data)) return 0;
  // A default response would go back to the remote, not through the coordinator: the copies
  // ask for none, so the target's answer does not reach the hub as a stray frame.
  const data = Buffer.from(sent.data);
  data[0] = data[0]! | DISABLE_DEFAULT_RESPONSE;
  const frame: ZclFrame = { ...sent, data };
  let delivered = 0;
  for (const binding of source.bindings) {
    if (binding.sourceEndpoint !== frame.srcEndpoint || binding.clusterId !== frame.clusterId) continue;
    if (binding.destinationMode === GROUP_MODE) {
      // A groupcast: every device hears it; only member endpoints act (SimulatedDevice.targets).
      for (const node of network.nodes()) {
        if (node === source) continue;
        network.deliver(node, { ...frame, groupId: binding.groupId ?? 0, dstEndpoint: 0xff });
        delivered++;
      }
      continue;
    }
    if (binding.destinationIeee === undefined || binding.destinationIeee === network.coordinatorIeee) continue;
    const target = network.byIeee(binding.destinationIeee);
    if (!target || target === source) continue;
    network.deliver(target, { ...frame, dstEndpoint: binding.destinationEndpoint ?? 1 });
    delivered++;
  }
  return delivered;
}

function isClientCommand(data: Buffer): boolean {
  if (data.length < 3 || isZclResponse(data)) return false;
  const control = data[0]!;
  return (control & FRAME_TYPE_MASK) === CLUSTER_SPECIFIC && (control & SERVER_TO_CLIENT) === 0;
}
