import t from 'tap';
import { isLoopbackHost, isLoopbackTarget } from '../../daemon/domain/loopback.js';

t.test('loopback hosts: localhost, 127.0.0.0/8 and ::1 in any spelling', async (t) => {
  for (const host of ['localhost', 'LocalHost', '127.0.0.1', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
    t.ok(isLoopbackHost(host), host);
  }
  // Names other than localhost go through the resolver, which need not keep them local.
  for (const host of ['foo.localhost', 'localhost.', 'localhost.evil.com', '127.999.0.1', '127.1', '128.0.0.1', '0.0.0.0', '::',
    '::ffff:10.0.0.1', '[::1]', '']) {
    t.notOk(isLoopbackHost(host), host);
  }
});

t.test('loopback targets are recognised in every gRPC target form', async (t) => {
  for (const target of ['localhost:50051', '127.0.0.1:1', '127.8.9.10:1', '[::1]:50051', 'dns:localhost:1', 'dns:///localhost:1',
    'ipv4:127.0.0.1:1,127.0.0.2:2', 'ipv6:[::1]:1', 'unix:/run/cloud.sock', 'unix:///run/cloud.sock', 'LOCALHOST:1']) {
    t.ok(isLoopbackTarget(target), target);
  }
  for (const target of ['cloud.example.com:443', '10.0.0.1:50051', 'dns:///cloud.example.com:443', '[2001:db8::1]:443',
    'ipv4:127.0.0.1:1,10.0.0.1:2', 'localhost.evil.com:1', 'foo.localhost:1', '127.999.0.1:1', '128.0.0.1:1', '0.0.0.0:1', 'ipv4:', '']) {
    t.notOk(isLoopbackTarget(target), target);
  }
});
