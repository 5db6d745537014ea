import type { Adapter } from 'lowdb';
import { readTextIfExists, writeFileDurable } from '../files.ts';

/**
 * lowdb adapter that makes every write durable. lowdb's own JSONFile (steno) renames a temp file
 * over the data file but never fsyncs, so a power loss can leave an empty or old file.
 * The JSON is produced synchronously when `write` is called: that moment is the snapshot.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  /** The text of the last successful write, for the backup. */
  lastText: string | undefined;
  writes = 0;
  bytesWritten = 0;

  constructor(readonly file: string) {}

  /** Parsed but unchecked JSON; the opener validates and migrates it. */
  async read(): Promise<T | null> {
    const text = await readTextIfExists(this.file);
    return text === null ? null : (JSON.parse(text) as T);
  }

  async write(data: T): Promise<void> {
    const text = JSON.stringify(data);
    await writeFileDurable(this.file, text);
    this.lastText = text;
    this.writes++;
    this.bytesWritten += Buffer.byteLength(text);
  }
}
