/** File primitives for the store: durable replace, directory fsync, timestamped side files. */
import { constants } from 'node:fs';
import { copyFile, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** `.NAME.tmp` next to the file: written, fsynced, then renamed over the file. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
}

/**
 * Replaces `file` with `text` so that after a crash or power loss it holds either the old or the new
 * content in full: write a temp file, fsync it, rename it over, fsync the directory (the rename
 * itself is only durable once the directory is).
 */
export async function writeFileDurable(file: string, text: string): Promise<void> {
  const temp = tempPathFor(file);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDir(path.dirname(file));
}

/** Fsyncs a directory so renames and new names in it survive a power loss. */
export async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
    if (!isCode(error, 'EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'EBADF')) throw error;
  } finally {
    await handle?.close();
  }
}

/** The file's text, or null when it does not exist. */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

/** Copies a file and makes the copy durable, never replacing an existing file. */
export async function copyDurable(from: string, to: string): Promise<void> {
  await copyFile(from, to, constants.COPYFILE_EXCL);
  const handle = await open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDir(path.dirname(to));
}

/** Moves a file aside (rename within the directory) and makes the move durable. */
export async function moveDurable(from: string, to: string): Promise<void> {
  await rename(from, to);
  await syncDir(path.dirname(to));
}

export async function removeIfExists(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}

/** A timestamp usable in file names on every platform: 2026-11-26T17-03-09.123Z. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-');
}

export function isCode(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' && error !== null && codes.includes((error as { code?: string }).code ?? '')
  );
}
