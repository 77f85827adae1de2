// One unexpected throw must neither stop the hub (an unobserved rejection ends the process) nor
// wedge the link or its command queue: the link retries, the queue goes on, the platform gets
// an answer. Faults are injected through the edges the link is given (outbox, logger).
import t from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { CaptureLog } from './helpers/capture-log.js';
import { createLink, stateEvent } from './helpers/link-fixture.js';
import { MemoryOutbox } from './helpers/memory-outbox.js';

const IEEE = '0x00124b0001abcd01';

/** An outbox whose first lastAcked() fails, as SQLite does on an I/O error. */
class FlakyOutbox extends MemoryOutbox {
  failures = 1;
  override lastAcked(): number {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('disk I/O error');
    }
    return super.lastAcked();
  }
}

/** A logger whose sink fails once on one message. */
class FlakyLog extends CaptureLog {
  constructor(private failOn: string | undefined) {
    super();
  }
  override info(message: string, fields?: Record<string, unknown>): void {
    if (message === this.failOn) {
      this.failOn = undefined;
      throw new Error('log sink failed');
    }
    super.info(message, fields);
  }
}

t.test('a connection attempt that throws is retried; nothing goes unobserved', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const outbox = new FlakyOutbox();
  const { link, log } = createLink(cloud.port, { outbox, emit: (event) => outbox.append(event) });
  t.teardown(() => link.stop());
  outbox.append(stateEvent(IEEE, 21));
  link.start();
  await outbox.waitUntilAcked(1);
  t.match(log.text(), /disk I\/O error/, 'the failure is logged');
  t.equal(link.status().state, 'connected');
});

t.test('a throw while a command is handled does not wedge the queue', async (t) => {
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());
  const log = new FlakyLog('cloud command done');
  const { link, executed } = createLink(cloud.port, { log });
  t.teardown(() => link.stop());
  link.start();
  await cloud.waitForConnection('gw-test');
  const first = await cloud.sendCommand('gw-test', { id: 'first', kind: 'permit_join', seconds: 10 });
  t.match(first, { commandId: 'first' }, 'the first command is answered');
  const second = await cloud.sendCommand('gw-test', { id: 'second', kind: 'permit_join', seconds: 0 });
  t.match(second, { commandId: 'second', ok: true }, 'the next command still runs');
  t.same(executed.map((c) => c.id), ['first', 'second']);
  t.match(log.text(), /log sink failed/, 'the unexpected failure is logged');
});
