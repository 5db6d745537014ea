import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../../core/log.ts';
import type { SignatureCheck } from './replay.ts';

export const EVENTS_PATH = '/slack/events';
const BODY_LIMIT = 4 * 1024 * 1024;
/** Slack's request signature: version 0 and an HMAC-SHA256 in hex, nothing before or after. */
const SIGNATURE = /^v0=[0-9a-f]{64}$/i;

export interface SlackHttpOptions {
  receiver: HTTPReceiver;
  signingSecret: string;
  guard: SignatureCheck;
  log: Logger;
}

/**
 * The HTTP front for Bolt's receiver. It buffers the body (Bolt reuses `rawBody`), refuses a
 * replayed signature, then hands the request to Bolt, which still verifies everything itself.
 * Only signatures Bolt would accept are recorded, so forged requests cannot fill the guard.
 */
export function createSlackHttpServer(options: SlackHttpOptions): Server {
  const { receiver, signingSecret, guard, log } = options;
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'slack request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== EVENTS_PATH) {
      res.writeHead(404).end();
      return;
    }
    const raw = await readBody(req);
    if (raw === undefined) {
      res.writeHead(413).end();
      return;
    }
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;

    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    // Bolt's check ignores what follows the hash, so "<signature>=1" would pass as a new request:
    // only the exact form is let through, and the replay memory keys on the hash itself.
    if (signature !== undefined && (typeof signature !== 'string' || !SIGNATURE.test(signature))) {
      log.warn('refused a Slack request with a malformed signature');
      res.writeHead(401).end();
      return;
    }
    if (signature !== undefined && Number.isFinite(timestamp)) {
      const valid = isValidSlackRequest({
        signingSecret,
        body: raw.toString(),
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
      if (valid && !(await guard.accept(`${timestamp}:${signature.slice(3).toLowerCase()}`, timestamp))) {
        log.warn('refused a replayed or future-dated Slack request');
        res.writeHead(401).end();
        return;
      }
      // A signed request with nothing Bolt can act on (it would throw on it): acknowledged, no more.
      const empty = valid ? emptyPayload(raw.toString()) : undefined;
      if (empty) {
        log.warn({ shape: empty }, 'acknowledged a Slack request with nothing to do');
        res.writeHead(200).end();
        return;
      }
    }
    try {
      receiver.requestListener(req, res);
    } catch (error) {
      log.warn({ err: error }, 'Slack receiver did not take the request');
      if (!res.headersSent) res.writeHead(404);
      res.end();
    }
  }
}

/** Why an interaction payload leaves nothing to do, or undefined when it is a real one (or no payload). */
export function emptyPayload(body: string): string | undefined {
  const raw = new URLSearchParams(body).get('payload');
  if (raw === null) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    return 'a payload that is not JSON';
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return 'a payload that is no object';
  const p = payload as { type?: unknown; actions?: unknown; view?: unknown };
  if (p.type === 'block_actions' && (!Array.isArray(p.actions) || p.actions.length === 0))
    return 'a button click without an action';
  if (p.type === 'view_submission' && (typeof p.view !== 'object' || p.view === null))
    return 'a form submission without a form';
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
