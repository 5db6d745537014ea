/** Child process for the lock tests: opens the store, says "ready", then holds it or exits without closing. */
import { silentLogger } from '../../src/core/log.ts';
import { openFileStorage } from '../../src/store/open.ts';

const [file, mode = 'hold'] = process.argv.slice(2);
if (!file) throw new Error('usage: lock-holder.ts FILE [hold|exit]');
await openFileStorage({ file, log: silentLogger });
process.stdout.write('ready\n');
if (mode === 'exit') process.exit(0); // no close(): the exit handler must still remove the lock
setInterval(() => {}, 60_000);
