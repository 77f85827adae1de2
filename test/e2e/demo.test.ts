// `npm run demo` is what a newcomer runs first: it must walk through join, reports and a cloud
// command, and stop everything cleanly.
import t from 'tap';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

t.test('the demo joins the catalogue, shows state at the cloud, switches the bulb and exits cleanly', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--exit'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.equal(code, 0, `demo exits 0; output:\n${out}`);
  for (const model of ['WSDCGQ11LM', 'MCCGQ11LM', 'RTCGQ11LM', 'ZNCZ02LM', 'LED1545G12', 'WXKG11LM']) {
    t.match(out, new RegExp(`device_interview 0x[0-9a-f]{16} successful .*${model}`), `${model} interviewed, shown with its model`);
  }
  t.match(out, /state_changed 0x[0-9a-f]{16} \{"temperature":21\.5\}/, 'the temperature arrives at the cloud');
  t.match(out, /result: ok \{"brightness":200,"state":"ON"\}/, 'the cloud switched the bulb on');
  t.match(out, /state_changed 0x[0-9a-f]{16} \{"state":"OFF"\}/, 'and its new state came back');
  t.match(out, /daemon exited with code 0/, 'the daemon stopped cleanly');
  const dataDir = /data in (\S+)\)/.exec(out)?.[1];
  t.ok(dataDir && !fs.existsSync(dataDir), 'the temporary data dir is removed');
});
