import { Writable } from 'node:stream';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from './core/log.ts';

/** Field names whose values are secrets wherever they appear in a log record. */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'DATABASE_URL',
  'password',
  'connectionString',
];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'headers.authorization',
  '*.headers.authorization',
  'config.headers.Authorization',
];

/** Token-shaped strings that must never reach a log line, even inside messages. */
const SECRET_PATTERNS = [
  /\b(xox[abpr]|xapp)-[A-Za-z0-9-]{8,}/g,
  /\b[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}/g, // Discord bot token
  /\bBot [A-Za-z\d._-]{30,}/g,
  // The password of a database URL: postgres://user:PASSWORD@host
  /(?<=\bpostgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+(?=@)/g,
];

export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((s, re) => s.replace(re, '[redacted]'), text);
}

export interface LogOptions {
  level?: string;
  /** Pretty, coloured output for people; JSON lines otherwise. */
  pretty?: boolean;
  /** Where to write; standard error by default so the playground's standard output stays clean. */
  destination?: NodeJS.WritableStream;
}

/** Structured logs with pino; secrets are redacted by key and scrubbed from strings. */
export function createLogger(options: LogOptions = {}): Logger & pino.Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  // Scrub the finished line so secrets inside messages, errors and nested objects never get out.
  const scrubbed = new Writable({
    write(chunk, _encoding, done) {
      destination.write(scrubSecrets(String(chunk)));
      done();
    },
  });
  const stream = options.pretty
    ? pretty({
        destination: scrubbed,
        colorize: true,
        translateTime: 'SYS:HH:MM:ss',
        // The component is already in the message's context; one line per event for people.
        ignore: 'pid,hostname,component',
        sync: true,
      })
    : scrubbed;
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    stream,
  );
}
