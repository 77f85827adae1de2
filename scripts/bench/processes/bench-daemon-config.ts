// The daemon config every process-level bench uses: the virtual coordinator over TCP, the
// reference cloud in plaintext on loopback, no LAN API, metrics on (the benches read them).
export const BENCH_GATEWAY = 'bench-gateway';

export function benchDaemonConfig(coordinatorPort: number, cloudPort: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data_dir: './data',
    serial: { path: `tcp://127.0.0.1:${coordinatorPort}`, adapter: 'zstack' },
    cloud: { enabled: true, target: `127.0.0.1:${cloudPort}`, insecure: true, gateway_id: BENCH_GATEWAY },
    log: { level: 'info', format: 'json' },
    lan: { enabled: false },
    metrics: { enabled: true, port: 0 },
    ...extra,
  };
}
