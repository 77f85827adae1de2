// At most once across a crash: a command's "started" record is durable before the command
// reaches the radio. A real child process is SIGKILLed the moment its radio has the command;
// after the restart, the platform's re-send is answered "interrupted" and does not run again.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import t from 'tap';
import { INTERRUPTED_ERROR } from '../../daemon/cloud/command-runner.js';
import { openStore } from '../../daemon/store/index.js';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { CaptureLog } from './helpers/capture-log.js';
import { createLink } from './helpers/link-fixture.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'command-child.ts');
const IEEE = '0x00124b0001abcd01';

/** Runs the child hub until its radio has `commandId`, then SIGKILLs it. */
function killWhenRadioHas(dbPath: string, port: number, commandId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === `radio ${commandId}` && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (killed && signal === 'SIGKILL') resolve();
      else reject(new Error(`child ended on its own (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

t.test('a command killed on its way to the radio is answered "interrupted" after the restart, not run twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'command-crash-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'hub.db');
  const cloud = await startReferenceCloud();
  t.teardown(() => cloud.stop());

  // The reference cloud re-sends a command without a result after every reconnect.
  const result = cloud.sendCommand('gw-test', { id: 'toggle-1', kind: 'set_state', ieee: IEEE, state: { state: 'TOGGLE' } }, 60_000);
  await killWhenRadioHas(dbPath, cloud.port, 'toggle-1');

  const store = openStore({ path: dbPath, log: new CaptureLog(), commitIntervalMs: 5 });
  t.teardown(() => store.close());
  t.equal(store.seenCommands.state('toggle-1'), 'started', 'the started record survived the kill');
  const restarted = createLink(cloud.port, {
    outbox: store.outbox,
    emit: (event) => store.events.append(event),
    seenCommandIds: store.seenCommands,
  });
  t.teardown(() => restarted.link.stop());
  restarted.link.start();
  t.same(await result, { kind: 'command_result', commandId: 'toggle-1', ok: false, error: INTERRUPTED_ERROR });
  t.same(restarted.executed, [], 'the toggle did not reach the radio a second time');
});
