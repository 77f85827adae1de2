// ZDO requests that travel over the air (interview, binding, management, permit join) and
// their answers: SRSP at once, the response AREQ from the addressed node afterwards.
import { ByteReader, type IeeeAddress } from '../firmware/bytes.js';
import type { ReplyContext } from '../firmware/mt-dispatcher.js';
import { firstChannel, nibOnChannel } from '../firmware/nib.js';
import { NvId } from '../firmware/nv-ids.js';
import { Subsystem } from '../transport/unpi.js';
import { type NetworkNode, type SimulatedNetwork, macCapabilities } from './simulated-network.js';
import { describeTopology } from './topology.js';
import * as Z from './zdo-frames.js';

const OK = Buffer.from([0x00]);
const COORDINATOR_NODE_DESCRIPTOR: Z.NodeDescriptor = {
  logicalType: 0,
  macCapabilities: 0x8f,
  manufacturerCode: 0x0000,
  serverMask: 0x2c41, // primary trust centre + network manager, stack compliance r22
};

export function registerZdoCommands(net: SimulatedNetwork): void {
  const fw = net.fw;
  const d = fw.dispatcher;
  const on = (cmd: number, handler: (r: ByteReader, reply: ReplyContext) => void) =>
    d.onSreq(Subsystem.ZDO, cmd, (data, reply) => {
      handler(new ByteReader(data), reply);
      return OK;
    });

  /** Answer from the addressed node: the coordinator at once, a device through the radio. */
  const answer = (dst: number, reply: ReplyContext, command: number, build: (node?: NetworkNode) => Buffer, then?: () => void) => {
    if (dst === 0x0000) {
      reply.areq(Subsystem.ZDO, command, build(undefined));
      if (then) reply.after(then);
      return;
    }
    const node = net.byNwk(dst);
    if (node && fw.isCoordinator) net.zdoResponse(node, command, build(node), 0, then);
    // unknown destination: the request is lost in the air, as with a device that is gone
  };

  const endpointsOf = (node?: NetworkNode) =>
    node ? node.definition.endpoints.map((e) => e.id) : [...fw.endpoints.keys()];

  on(0x02, (r, reply) => {
    const dst = r.u16();
    const nwk = r.u16();
    answer(dst, reply, Z.ZdoCallback.nodeDescRsp, (node) =>
      Z.nodeDescRsp(dst, nwk, node ? {
        logicalType: node.definition.logicalType === 'router' ? 1 : 2,
        macCapabilities: macCapabilities(node.definition),
        manufacturerCode: node.definition.manufacturerCode,
        serverMask: 0x0000,
      } : COORDINATOR_NODE_DESCRIPTOR),
    );
  });

  on(0x03, (r, reply) => {
    const dst = r.u16();
    const nwk = r.u16();
    answer(dst, reply, Z.ZdoCallback.powerDescRsp, (node) => Z.powerDescRsp(dst, nwk, node ? node.definition.powerSource === 'mains' : true));
  });

  on(0x05, (r, reply) => {
    const dst = r.u16();
    const nwk = r.u16();
    answer(dst, reply, Z.ZdoCallback.activeEpRsp, (node) => Z.activeEpRsp(dst, nwk, endpointsOf(node)));
  });

  on(0x04, (r, reply) => {
    const dst = r.u16();
    const nwk = r.u16();
    const ep = r.u8();
    answer(dst, reply, Z.ZdoCallback.simpleDescRsp, (node) => {
      if (!node) return Z.simpleDescRsp(dst, nwk, fw.endpoints.get(ep));
      const def = node.definition.endpoints.find((e) => e.id === ep);
      return Z.simpleDescRsp(dst, nwk, def && { endpoint: def.id, profileId: def.profileId, deviceId: def.deviceId, deviceVersion: 1, inClusters: def.inClusters, outClusters: def.outClusters });
    });
  });

  // nwkAddrReq / ieeeAddrReq are broadcast in a real network: whoever owns the address answers.
  const addressAnswer = (node: NetworkNode | undefined, isCoordinator: boolean, reqType: number, start: number, reply: ReplyContext, command: number) => {
    if (isCoordinator) {
      reply.areq(Subsystem.ZDO, command, Z.addrRsp(fw.ieee, 0x0000, net.directChildren(), start, reqType === 1));
    } else if (node) {
      const kids = net.childrenOf(node.nwk).map((c) => c.nwk);
      net.zdoResponse(node, command, Z.addrRsp(node.ieee, node.nwk, kids, start, reqType === 1));
    }
  };

  on(0x00, (r, reply) => {
    const ieee: IeeeAddress = r.ieee();
    const reqType = r.u8();
    const start = r.u8();
    addressAnswer(net.byIeee(ieee), ieee === fw.ieee, reqType, start, reply, Z.ZdoCallback.nwkAddrRsp);
  });

  on(0x01, (r, reply) => {
    const nwk = r.u16();
    const reqType = r.u8();
    const start = r.u8();
    addressAnswer(net.byNwk(nwk), nwk === 0x0000, reqType, start, reply, Z.ZdoCallback.ieeeAddrRsp);
  });

  const bindCommand = (bind: boolean) => (r: ByteReader, reply: ReplyContext) => {
    const dst = r.u16();
    const entry: Z.BindingEntry = { sourceIeee: r.ieee(), sourceEndpoint: r.u8(), clusterId: r.u16(), destinationMode: r.u8() };
    const address = r.bytes(8);
    const dstEndpoint = r.remaining > 0 ? r.u8() : 0;
    if (entry.destinationMode === 1) entry.groupId = address.readUInt16LE(0);
    else {
      entry.destinationIeee = new ByteReader(address).ieee();
      entry.destinationEndpoint = dstEndpoint;
    }
    const command = bind ? Z.ZdoCallback.bindRsp : Z.ZdoCallback.unbindRsp;
    answer(dst, reply, command, (node) => {
      if (!node) return Z.statusRsp(dst, Z.ZdoStatus.NOT_SUPPORTED);
      if (!node.definition.endpoints.some((e) => e.id === entry.sourceEndpoint)) return Z.statusRsp(dst, Z.ZdoStatus.INVALID_EP);
      const same = (b: Z.BindingEntry) => JSON.stringify(b) === JSON.stringify(entry);
      if (bind) {
        if (!node.bindings.some(same)) node.bindings.push(entry);
        return Z.statusRsp(dst, Z.ZdoStatus.SUCCESS);
      }
      const index = node.bindings.findIndex(same);
      if (index < 0) return Z.statusRsp(dst, Z.ZdoStatus.NO_ENTRY);
      node.bindings.splice(index, 1);
      return Z.statusRsp(dst, Z.ZdoStatus.SUCCESS);
    });
  };
  on(0x21, bindCommand(true));
  on(0x22, bindCommand(false));

  // Neighbour (LQI) and routing tables: only routers keep them; end devices say NOT_SUPPORTED.
  const routerTable =
    (callback: typeof Z.ZdoCallback.mgmtLqiRsp | typeof Z.ZdoCallback.mgmtRtgRsp, table: (dst: number, nwk: number, start: number) => Buffer) =>
    (r: Parameters<Parameters<typeof on>[1]>[0], reply: Parameters<Parameters<typeof on>[1]>[1]) => {
      const dst = r.u16();
      const start = r.u8();
      answer(dst, reply, callback, (node) => {
        if (node && node.definition.logicalType !== 'router') return Z.statusRsp(dst, Z.ZdoStatus.NOT_SUPPORTED);
        return table(dst, node?.nwk ?? 0, start);
      });
    };
  on(0x31, routerTable(Z.ZdoCallback.mgmtLqiRsp, (dst, nwk, start) => Z.mgmtLqiRsp(dst, describeTopology(net).neighbors(nwk), start)));
  on(0x32, routerTable(Z.ZdoCallback.mgmtRtgRsp, (dst, nwk, start) => Z.mgmtRtgRsp(dst, describeTopology(net).routes(nwk), start)));

  on(0x33, (r, reply) => {
    const dst = r.u16();
    const start = r.u8();
    answer(dst, reply, Z.ZdoCallback.mgmtBindRsp, (node) => Z.mgmtBindRsp(dst, node?.bindings ?? [], start));
  });

  on(0x34, (r, reply) => {
    const dst = r.u16();
    const ieee = r.ieee();
    const flags = r.remaining > 0 ? r.u8() : 0;
    const rejoin = (flags & 0x80) !== 0;
    // The addressed device leaves itself (IEEE zero or its own); the coordinator can also
    // ask one of its children to go.
    const target = dst === 0x0000 ? net.byIeee(ieee) : net.byNwk(dst);
    const status = dst === 0x0000 && !target ? Z.ZdoStatus.NO_ENTRY : Z.ZdoStatus.SUCCESS;
    answer(dst, reply, Z.ZdoCallback.mgmtLeaveRsp, () => Z.statusRsp(dst, status), () => {
      if (target && net.byIeee(target.ieee) === target) net.leave(target.ieee, { request: true, rejoin });
    });
  });

  on(0x36, (r, reply) => {
    const addrMode = r.u8();
    const dst = r.u16();
    const duration = r.u8();
    net.permitJoin(duration);
    if (addrMode === 0x02) {
      // Z-Stack's "coordinator only" form is 16-bit mode to 0xFFFC; the answer comes from 0x0000.
      const from = dst === 0xfffc ? 0x0000 : dst;
      answer(from, reply, Z.ZdoCallback.mgmtPermitJoinRsp, () => Z.statusRsp(from, Z.ZdoStatus.SUCCESS));
    }
  });

  on(0x37, (r) => {
    // mgmtNwkUpdateReq: scan duration 0xFE = change channel (what a host's channel change sends)
    r.u16();
    r.u8();
    const mask = r.u32();
    const duration = r.u8();
    const nib = fw.nv.get(NvId.NIB);
    const channel = firstChannel(mask);
    if (duration === 0xfe && nib && channel) {
      const moved = nibOnChannel(nib, channel);
      if (moved) fw.nv.set(NvId.NIB, moved);
    }
  });

  on(0x45, () => {}); // extRouteDisc: route discovery starts; nothing to report
  on(0x46, () => {}); // extRouteCheck

}
