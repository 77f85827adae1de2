import t from 'tap';
import { MtDispatcher } from '../../scripts/virtual-coordinator/firmware/mt-dispatcher.js';
import { MtType, Subsystem, type MtFrame } from '../../scripts/virtual-coordinator/transport/unpi.js';

function dispatcher() {
  const sent: MtFrame[] = [];
  const logged: string[] = [];
  const mt = new MtDispatcher((frame) => sent.push(frame), (level, message) => logged.push(`${level} ${message}`));
  return { mt, sent, logged };
}

const sreq = (command: number): MtFrame => ({ type: MtType.SREQ, subsystem: Subsystem.SYS, command, data: Buffer.alloc(0) });

t.test('a follow-up that throws after the SRSP is logged and the next ones still run', async (t) => {
  const { mt, sent, logged } = dispatcher();
  let ranLater = false;
  mt.onSreq(Subsystem.SYS, 0x01, (_data, reply) => {
    reply.after(() => {
      throw new Error('simulated network broke');
    });
    reply.areq(Subsystem.ZDO, 0xc0, Buffer.from([9]));
    reply.after(() => {
      ranLater = true;
    });
    return Buffer.from([0]);
  });
  t.doesNotThrow(() => mt.handle(sreq(0x01)));
  t.same(
    sent.map((f) => [f.type, f.subsystem, f.command]),
    [
      [MtType.SRSP, Subsystem.SYS, 0x01],
      [MtType.AREQ, Subsystem.ZDO, 0xc0],
    ],
  );
  t.ok(ranLater);
  t.match(logged, [/^warn SREQ .*follow-up after the SRSP failed: simulated network broke/]);
});

t.test('a handler that throws gets a failure SRSP and its follow-ups are dropped', async (t) => {
  const { mt, sent, logged } = dispatcher();
  mt.onSreq(Subsystem.SYS, 0x01, (_data, reply) => {
    reply.after(() => t.fail('dropped'));
    throw new Error('bad');
  });
  mt.handle(sreq(0x01));
  t.equal(sent.length, 1);
  t.equal(sent[0]!.type, MtType.SRSP);
  t.match(logged, [/^warn SREQ .*failed: bad/]);
});
