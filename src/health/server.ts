/**
 * The health endpoint for Docker, Kubernetes or a process manager: `GET /healthz` (liveness) and
 * `GET /readyz` (readiness), JSON bodies, 200 when fine and 503 otherwise. Bound to 127.0.0.1 unless
 * told otherwise; it shows states, never secrets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/log.ts';
import type { LivenessReport, ReadinessReport } from './checks.ts';

export interface HealthSource {
  liveness(): LivenessReport;
  readiness(): Promise<ReadinessReport>;
}

export interface HealthServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export const HEALTH_PATHS = ['/healthz', '/readyz'] as const;

export async function serveHealth(
  source: HealthSource,
  options: { host: string; port: number; log: Logger },
): Promise<HealthServer> {
  const server = createServer((req, res) => {
    answer(source, req, res).catch((error: unknown) => {
      options.log.error({ err: error, path: req.url }, 'health check failed');
      if (!res.headersSent) send(res, req, 500, { status: 'down', error: 'the health check itself failed' });
      else res.destroy();
    });
  });
  // Probes are short: no reason to keep idle connections or slow requests around.
  server.keepAliveTimeout = 1_000;
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.log.error({ err: error }, 'health endpoint error'));
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(source: HealthSource, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://health').pathname;
  if (!(HEALTH_PATHS as readonly string[]).includes(path)) {
    send(res, req, 404, { error: 'not found', paths: HEALTH_PATHS });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    send(res, req, 405, { error: 'use GET or HEAD' });
    return;
  }
  if (path === '/healthz') {
    const report = source.liveness();
    send(res, req, report.status === 'ok' ? 200 : 503, report);
    return;
  }
  const report = await source.readiness();
  send(res, req, report.status === 'ready' ? 200 : 503, report);
}

function send(res: ServerResponse, req: IncomingMessage, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}
