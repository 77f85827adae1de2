// "Plaintext, loopback only" must mean a direct connection: with http_proxy, https_proxy or
// grpc_proxy in the environment (as on many gateways behind a corporate proxy), grpc-js would
// otherwise tunnel the plaintext link through the proxy with CONNECT 127.0.0.1:port.
import net from 'node:net';
import t, { type Test } from 'tap';
import { startReferenceCloud } from '../../scripts/reference-cloud/server.js';
import { createLink, stateEvent } from './helpers/link-fixture.js';
import { hasOpenssl, makeTestCerts } from './helpers/test-certs.js';

/** A fake HTTP proxy that records the request line of every connection and then hangs up. */
async function fakeProxy(): Promise<{ port: number; requests: string[]; firstRequest: Promise<string>; close(): Promise<void> }> {
  const requests: string[] = [];
  let first!: (line: string) => void;
  const firstRequest = new Promise<string>((resolve) => (first = resolve));
  const server = net.createServer((socket) => {
    socket.once('data', (data) => {
      const line = data.toString('latin1').split('\r\n')[0]!;
      requests.push(line);
      first(line);
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, requests, firstRequest, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Sets exactly one proxy variable for the rest of the test `t`. */
function useProxy(t: Test, variable: string, port: number): void {
  const names = ['grpc_proxy', 'https_proxy', 'http_proxy', 'no_proxy', 'no_grpc_proxy'];
  const saved = names.map((name) => [name, process.env[name]] as const);
  for (const name of names) delete process.env[name];
  process.env[variable] = `http://127.0.0.1:${port}`;
  t.teardown(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

for (const variable of ['grpc_proxy', 'https_proxy', 'http_proxy']) {
  t.test(`the plaintext loopback link ignores ${variable}`, async (t) => {
    const proxy = await fakeProxy();
    t.teardown(() => proxy.close());
    useProxy(t, variable, proxy.port);
    const cloud = await startReferenceCloud({ port: 0 });
    t.teardown(() => cloud.stop());
    const { link, outbox } = createLink(cloud.port);
    t.teardown(() => link.stop());
    outbox.append(stateEvent('0x00124b0001abcd01', 1));
    link.start();
    const outcome = await Promise.race([
      outbox.waitUntilAcked(1).then(() => 'delivered directly'),
      proxy.firstRequest.then((line) => `went through the proxy: ${line}`),
    ]);
    t.equal(outcome, 'delivered directly');
    t.same(proxy.requests, [], 'the proxy saw no connection');
  });
}

t.test('a TLS link keeps the environment proxy (documented): CONNECT, TLS inside the tunnel', { skip: !hasOpenssl() && 'no openssl' }, async (t) => {
  const proxy = await fakeProxy();
  t.teardown(() => proxy.close());
  useProxy(t, 'https_proxy', proxy.port);
  const certs = makeTestCerts();
  const { link } = createLink(1, { target: 'localhost:50051', credentials: { ca: certs.ca, token: 'tls-token' } });
  t.teardown(() => link.stop());
  link.start();
  t.equal(await proxy.firstRequest, 'CONNECT localhost:50051 HTTP/1.1');
});
