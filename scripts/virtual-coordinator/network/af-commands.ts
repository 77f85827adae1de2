// AF data requests from the host: SRSP, then a dataConfirm for every request (matched by
// transid on the host side), then the ZCL payload reaches the addressed device(s).
import { ByteReader, ByteWriter } from '../firmware/bytes.js';
import type { ReplyContext } from '../firmware/mt-dispatcher.js';
import type { ZclFrame } from '../devices/definition.js';
import { Subsystem } from '../transport/unpi.js';
import type { NetworkNode, SimulatedNetwork } from './simulated-network.js';
import { isRxOnWhenIdle } from './simulated-network.js';

export const AfStatus = {
  SUCCESS: 0x00,
  INVALID_PARAMETER: 0x02,
  NWK_INVALID_REQUEST: 0xc2,
  NWK_NO_ROUTE: 0xcd,
  MAC_NO_ACK: 0xe9,
} as const;

const AddrMode = { GROUP: 0x01, NWK: 0x02, IEEE: 0x03, BROADCAST: 0x0f } as const;

interface DataRequest {
  mode: number;
  /** 16-bit address, group id or (mode IEEE) the 64-bit address */
  address: number | string;
  dstEndpoint: number;
  srcEndpoint: number;
  clusterId: number;
  transId: number;
  data: Buffer;
}

export interface AfStats {
  requests: number;
  confirmsFailed: number;
}

export function registerAfCommands(net: SimulatedNetwork): AfStats {
  const fw = net.fw;
  const stats: AfStats = { requests: 0, confirmsFailed: 0 };

  const dataConfirm = (status: number, req: DataRequest) =>
    fw.dispatcher.areq(Subsystem.AF, 0x80, new ByteWriter().u8(status).u8(req.srcEndpoint).u8(req.transId).done());

  /** The device picks the endpoint(s) itself: the one addressed, 0xFF = all, or its group members. */
  const deliverTo = (node: NetworkNode, req: DataRequest, groupId?: number) => {
    const frame: ZclFrame = { srcEndpoint: req.srcEndpoint, dstEndpoint: req.dstEndpoint, clusterId: req.clusterId, data: req.data };
    if (groupId !== undefined) frame.groupId = groupId;
    net.deliver(node, frame);
  };

  const unicast = (node: NetworkNode | undefined, req: DataRequest, reply: ReplyContext) => {
    if (!node) {
      // nobody answers route discovery for an address that left the network
      stats.confirmsFailed++;
      net.scheduler.after(20, () => dataConfirm(AfStatus.NWK_NO_ROUTE, req));
      return;
    }
    const failure = net.faults.takeDataConfirmFailure(node.ieee);
    const run = () => {
      if (failure !== undefined) {
        stats.confirmsFailed++;
        dataConfirm(failure, req);
        return;
      }
      dataConfirm(AfStatus.SUCCESS, req);
      deliverTo(node, req);
    };
    const wait = net.pollDelay(node);
    if (wait > 0) net.scheduler.after(wait, run);
    else reply.after(run);
  };

  const handle = (req: DataRequest, reply: ReplyContext): Buffer => {
    stats.requests++;
    if (!fw.isCoordinator) return Buffer.from([AfStatus.NWK_INVALID_REQUEST]);
    if (!fw.endpoints.has(req.srcEndpoint)) return Buffer.from([AfStatus.INVALID_PARAMETER]);
    if (req.mode === AddrMode.GROUP) {
      reply.after(() => {
        dataConfirm(AfStatus.SUCCESS, req);
        for (const node of net.nodes()) deliverTo(node, { ...req, dstEndpoint: 0xff }, req.address as number);
      });
    } else if (req.mode === AddrMode.IEEE) {
      unicast(net.byIeee(req.address as string), req, reply);
    } else if (req.mode === AddrMode.BROADCAST || (req.address as number) >= 0xfff8) {
      const address = req.address as number;
      reply.after(() => {
        dataConfirm(AfStatus.SUCCESS, req);
        for (const node of net.nodes()) {
          const reached =
            address === 0xffff ||
            (address === 0xfffd && isRxOnWhenIdle(node.definition)) ||
            (address === 0xfffc && node.definition.logicalType === 'router');
          if (reached) deliverTo(node, req);
        }
      });
    } else if (req.address === 0x0000) {
      reply.after(() => dataConfirm(AfStatus.SUCCESS, req)); // to ourselves: nothing on the air
    } else {
      unicast(net.byNwk(req.address as number), req, reply);
    }
    return Buffer.from([AfStatus.SUCCESS]);
  };

  // dataRequest and dataRequestSrcRtg share one layout; the source-routed one adds a relay list
  // (ignored: the simulated network routes by itself) before the data.
  const shortAddressed = (withRelays: boolean) => (data: Buffer, reply: Parameters<typeof handle>[1]) => {
    // dstaddr, destEP, srcEP, cluster, transid, options, radius, [relay count u8, relays u16[]], len u8, data
    const r = new ByteReader(data);
    const address = r.u16();
    const dstEndpoint = r.u8();
    const srcEndpoint = r.u8();
    const clusterId = r.u16();
    const transId = r.u8();
    r.u8();
    r.u8();
    if (withRelays) r.bytes(r.u8() * 2);
    const payload = r.bytes(r.u8());
    return handle({ mode: AddrMode.NWK, address, dstEndpoint, srcEndpoint, clusterId, transId, data: payload }, reply);
  };
  fw.dispatcher.onSreq(Subsystem.AF, 0x01, shortAddressed(false));
  fw.dispatcher.onSreq(Subsystem.AF, 0x03, shortAddressed(true));

  fw.dispatcher.onSreq(Subsystem.AF, 0x02, (data, reply) => {
    // dataRequestExt: mode, addr 8, destEP, panid, srcEP, cluster, transid, options, radius, len u16, data
    const r = new ByteReader(data);
    const mode = r.u8();
    const raw = r.bytes(8);
    const address = mode === AddrMode.IEEE ? new ByteReader(raw).ieee() : raw.readUInt16LE(0);
    const dstEndpoint = r.u8();
    r.u16();
    const srcEndpoint = r.u8();
    const clusterId = r.u16();
    const transId = r.u8();
    r.u8();
    r.u8();
    const payload = r.bytes(r.u16());
    return handle({ mode, address, dstEndpoint, srcEndpoint, clusterId, transId, data: payload }, reply);
  });

  return stats;
}
