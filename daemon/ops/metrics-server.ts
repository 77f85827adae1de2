// Serves GET /metrics (Prometheus text format) on a loopback address only: the endpoint has no
// authentication and tells anyone who can reach it how many devices the home has and when it
// is busy. Scrape it from the gateway (node_exporter textfile, a local agent, an SSH tunnel).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: { registry: Registry; listen: string; port: number; log: Logger }): Promise<MetricsServer> {
  const { registry, log } = options;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => {
        log.warn('metrics collection failed', { error: error instanceof Error ? error.message : String(error) });
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  // A slow or idle scraper must not hold a socket open forever.
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.listen, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info('metrics listening', { address: options.listen, port, path: '/metrics' });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Like the LAN API: a taken port costs the metrics, never the hub (logged, undefined). */
export function startMetricsServerOrWarn(options: Parameters<typeof startMetricsServer>[0]): Promise<MetricsServer | undefined> {
  return startMetricsServer(options).catch((error: unknown) => {
    options.log.warn('metrics endpoint not started', { port: options.port, error: error instanceof Error ? error.message : String(error) });
    return undefined;
  });
}
