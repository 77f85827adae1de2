// The reference cloud as a command: `serve` (the default, also when the first argument is a
// flag) runs the server; events, cursors, send and gateways are the tool beside it (tool.ts).
//
//   npm run cloud -- --port 50051 --db cloud.db --control-port 50052
//   npm run cloud -- events --db cloud.db --gateway gw-1 --since 120
//   npm run cloud -- send --control-port 50052 --gateway gw-1 set-state 0x00124b0001abcd01 state=ON
import { serve } from './serve.js';
import { runCloudTool, TOOL_COMMANDS } from './tool.js';

const [first, ...rest] = process.argv.slice(2);

if (first !== undefined && (TOOL_COMMANDS as readonly string[]).includes(first)) {
  const code = await runCloudTool([first, ...rest], {
    stdout: (line) => process.stdout.write(line + '\n'),
    stderr: (line) => process.stderr.write(line + '\n'),
  });
  process.exitCode = code;
} else {
  const args = first === 'serve' ? rest : process.argv.slice(2);
  serve(args).catch((error: unknown) => {
    process.stderr.write(`reference-cloud: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
