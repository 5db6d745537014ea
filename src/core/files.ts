import type { Platform } from './platform.ts';
import type { Reply, ReplyFile } from './reply.ts';

export interface FileLimit {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Most files one reply carries. */
  maxFiles: number;
  /** How the limit is named in the line that refuses a file. */
  label: string;
}

const MIB = 1024 * 1024;

/**
 * What each platform accepts. Discord: 8 MiB per upload in a server without boosts (Discord has
 * raised its default since; 8 MiB holds everywhere) and 10 attachments a message. Slack: 1 GB per
 * file; ten files a reply keeps uploads short. The terminal writes to disk; the cap keeps a runaway
 * export from filling it. Features can check a file against these before building a reply.
 */
export const FILE_LIMITS: Record<Platform, FileLimit> = {
  discord: { maxBytes: 8 * MIB, maxFiles: 10, label: "Discord's 8 MiB upload limit" },
  slack: { maxBytes: 1024 * MIB, maxFiles: 10, label: "Slack's 1 GB file limit" },
  console: { maxBytes: 64 * MIB, maxFiles: 10, label: 'the 64 MiB limit for saved files' },
};

/** Longest alt text kept: Discord allows 1,024 characters in an attachment description, Slack 1,000. */
export const MAX_ALT = 1000;

/**
 * A file name safe on every platform and on disk: no directories, no control characters, only
 * letters, digits, dot, dash and underscore (Discord's `attachment://` links need that), at most
 * 100 characters, extension kept.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[.]+/, '')
    .replace(/_+/g, '_');
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? cleaned.slice(dot, dot + 11) : '';
  const stem = (dot > 0 ? cleaned.slice(0, dot) : cleaned).slice(0, 100 - ext.length);
  return stem.replace(/^_+|_+$/g, '') ? `${stem}${ext}` : `file${ext}`;
}

export function isImage(file: Pick<ReplyFile, 'contentType'>): boolean {
  return /^image\/(png|jpe?g|gif|webp)\b/i.test(file.contentType);
}

/** "1.5 MiB", "820 KB", "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= MIB) return `${(bytes / MIB).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

export interface FittedFiles {
  /** The files to send, with safe, distinct names and alt text within `MAX_ALT`. */
  files: ReplyFile[];
  /** One polite line per file left out, to show in the reply. */
  refused: string[];
}

/**
 * The reply's files that fit `limit`, renamed safely (a repeated name gets "-2", "-3"), and a line
 * for each one refused (too large, or beyond the number a reply carries).
 */
export function fitFiles(files: readonly ReplyFile[] | undefined, limit: FileLimit): FittedFiles {
  const kept: ReplyFile[] = [];
  const refused: string[] = [];
  const names = new Set<string>();
  for (const file of files ?? []) {
    const name = uniqueName(safeFileName(file.name), names);
    if (file.data.byteLength > limit.maxBytes) {
      refused.push(
        `The file ${name} (${formatBytes(file.data.byteLength)}) is over ${limit.label} and was not attached.`,
      );
      continue;
    }
    if (kept.length >= limit.maxFiles) {
      refused.push(`The file ${name} was not attached: a reply carries at most ${limit.maxFiles} files.`);
      continue;
    }
    names.add(name);
    const alt = file.alt?.replace(/\s+/g, ' ').trim();
    kept.push({
      name,
      data: file.data,
      contentType: file.contentType,
      ...(alt ? { alt: alt.length > MAX_ALT ? `${alt.slice(0, MAX_ALT - 1)}…` : alt } : {}),
    });
  }
  return { files: kept, refused };
}

function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let n = 2;
  while (taken.has(`${stem}-${n}${ext}`)) n++;
  return `${stem}-${n}${ext}`;
}

/** The reply with `lines` added after its text (notes about files), fallback text included. */
export function withNotes(reply: Reply, lines: readonly string[]): Reply {
  if (lines.length === 0) return reply;
  const note = lines.join('\n');
  return {
    ...reply,
    text: reply.text?.trim() ? `${reply.text.trim()}\n\n${note}` : note,
    fallbackText: `${reply.fallbackText} ${lines.join(' ')}`.trim(),
  };
}

/**
 * Splits a reply into what a platform sends: the reply without files (refusals noted in its text)
 * and the files that fit the platform's limit.
 */
export function prepareFiles(reply: Reply, platform: Platform): { reply: Reply; files: ReplyFile[] } {
  if (!reply.files?.length) return { reply, files: [] };
  const { files, refused } = fitFiles(reply.files, FILE_LIMITS[platform]);
  const { files: _files, ...rest } = reply;
  return { reply: withNotes(rest, refused), files };
}
