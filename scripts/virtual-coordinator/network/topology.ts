// Neighbour and routing tables derived from who joined through whom, for mgmtLqiRsp and
// mgmtRtgRsp (what a host draws as the network map).
import type { NetworkNode, SimulatedNetwork } from './simulated-network.js';
import { isRxOnWhenIdle } from './simulated-network.js';
import type { NeighborEntry, RouteEntry } from './zdo-frames.js';

export function describeTopology(net: SimulatedNetwork) {
  const epid = net.fw.network()?.extendedPanIdLe ?? Buffer.alloc(8);

  const coordinatorEntry = (relationship: number): NeighborEntry => ({
    extendedPanIdLe: epid,
    ieee: net.fw.ieee,
    nwk: 0x0000,
    deviceType: 0,
    rxOnWhenIdle: true,
    relationship,
    depth: 0,
    lqi: 255,
  });

  const entryOf = (node: NetworkNode): NeighborEntry => ({
    extendedPanIdLe: epid,
    ieee: node.ieee,
    nwk: node.nwk,
    deviceType: node.definition.logicalType === 'router' ? 1 : 2,
    rxOnWhenIdle: isRxOnWhenIdle(node.definition),
    relationship: 1,
    depth: net.depthOf(node),
    lqi: node.lqi,
  });

  return {
    /** Neighbour table of the coordinator (0x0000) or of a router. */
    neighbors(nwk: number): NeighborEntry[] {
      const entries: NeighborEntry[] = [];
      const self = nwk === 0 ? undefined : net.byNwk(nwk);
      if (self) {
        const parent = net.byNwk(self.parent);
        if (self.parent === 0) entries.push({ ...coordinatorEntry(0), lqi: self.lqi });
        else if (parent) entries.push({ ...entryOf(parent), relationship: 0 });
      }
      for (const node of net.nodes()) {
        if (node === self) continue;
        if (node.parent === nwk) entries.push({ ...entryOf(node), relationship: 1 });
        else if (self && node.definition.logicalType === 'router' && node.nwk !== self.parent) {
          entries.push({ ...entryOf(node), relationship: 2 }); // sibling routers hear each other
        }
      }
      return entries;
    },

    /** Routing table: the coordinator knows a route to every router; routers route to it. */
    routes(nwk: number): RouteEntry[] {
      if (nwk !== 0) {
        const self = net.byNwk(nwk);
        return self ? [{ destination: 0x0000, status: 0, nextHop: self.parent }] : [];
      }
      return net
        .nodes()
        .filter((n) => n.definition.logicalType === 'router')
        .map((n) => {
          let hop = n;
          for (let p = net.byNwk(hop.parent); p; p = net.byNwk(hop.parent)) hop = p;
          return { destination: n.nwk, status: 0, nextHop: hop.nwk };
        });
    },
  };
}
