import { randomBytes } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatBytes, isImage } from '../../core/files.ts';
import type { ReplyFile } from '../../core/reply.ts';

/** Where the playground saves files when no directory is given: ./thawbot-files. */
export const DEFAULT_FILES_DIR = 'thawbot-files';

/**
 * Saves each file under `dir` and returns the lines to print: its path and size, and an image's
 * text alternative. A file is written to a temporary name and then linked to its final name, so a
 * reader never sees half a file and an earlier file of the same name is kept (the new one gets
 * "-2", "-3"). A failure is a line, not an exception.
 */
export async function saveFiles(files: readonly ReplyFile[], dir: string): Promise<string[]> {
  const lines: string[] = [];
  if (files.length === 0) return lines;
  const base = resolve(dir);
  try {
    await mkdir(base, { recursive: true });
  } catch (error) {
    return [`Could not save ${files.map((f) => f.name).join(', ')}: ${reason(error)}.`];
  }
  for (const file of files) {
    try {
      const path = await saveOne(file, base);
      lines.push(`File: ${file.name} (${formatBytes(file.data.byteLength)}) saved to ${path}`);
      if (file.alt) lines.push(`  ${isImage(file) ? 'Image' : 'About the file'}: ${file.alt}`);
    } catch (error) {
      lines.push(`Could not save ${file.name}: ${reason(error)}.`);
    }
  }
  return lines;
}

async function saveOne(file: ReplyFile, dir: string): Promise<string> {
  const temp = join(dir, `.${file.name}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, file.data, { flag: 'wx' });
  try {
    const dot = file.name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [file.name.slice(0, dot), file.name.slice(dot)] : [file.name, ''];
    for (let n = 1; n < 1000; n++) {
      const path = join(dir, n === 1 ? file.name : `${stem}-${n}${ext}`);
      try {
        await link(temp, path);
        return path;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    throw new Error('too many files of that name');
  } finally {
    await unlink(temp).catch(() => {});
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'no permission to write there';
  if (code === 'ENOSPC') return 'the disk is full';
  return error instanceof Error ? error.message : String(error);
}
