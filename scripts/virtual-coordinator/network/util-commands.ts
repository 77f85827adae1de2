// UTIL association-table commands a host uses to recover routes to end devices.
import { ByteReader, ByteWriter } from '../firmware/bytes.js';
import { Subsystem } from '../transport/unpi.js';
import type { SimulatedNetwork } from './simulated-network.js';

/** Z-Stack node relations: CHILD_RFD 1, CHILD_RFD_RX_IDLE 2, CHILD_FFD 3, NEIGHBOR 5, NOTUSED 0xff. */
export function registerUtilCommands(net: SimulatedNetwork): void {
  const d = net.fw.dispatcher;

  d.onSreq(Subsystem.UTIL, 0x4a, (data) => {
    // assocGetWithAddress: extaddr, nwkaddr -> nwkaddr, addridx, noderelation
    const r = new ByteReader(data);
    const ieee = r.ieee();
    const nwk = r.u16();
    const node = ieee !== '0x0000000000000000' ? net.byIeee(ieee) : net.byNwk(nwk);
    if (!node || node.parent !== 0x0000) return new ByteWriter().u16(0xfffe).u16(0xffff).u8(0xff).done();
    const index = net.nodes().indexOf(node);
    const relation = node.definition.logicalType === 'router' ? 3 : net.isSleepy(node) ? 1 : 2;
    return new ByteWriter().u16(node.nwk).u16(index).u8(relation).done();
  });

  d.onSreq(Subsystem.UTIL, 0x63, () => Buffer.from([0x00])); // assocRemove
  d.onSreq(Subsystem.UTIL, 0x64, () => Buffer.from([0x00])); // assocAdd

  d.onSreq(Subsystem.UTIL, 0x48, () => {
    // assocCount(startRelation, endRelation)
    return new ByteWriter().u16(net.directChildren().length).done();
  });

  d.onSreq(Subsystem.UTIL, 0x40, (data) => {
    // addrmgrExtAddrLookup
    const node = net.byIeee(new ByteReader(data).ieee());
    return new ByteWriter().u16(node?.nwk ?? 0xfffe).done();
  });

  d.onSreq(Subsystem.UTIL, 0x41, (data) => {
    // addrmgrNwkAddrLookup
    const nwk = new ByteReader(data).u16();
    const node = net.byNwk(nwk);
    return new ByteWriter().ieee(nwk === 0 ? net.fw.ieee : (node?.ieee ?? '0x0000000000000000')).done();
  });
}
