/**
 * Child process for the crash test: opens the store, preloads realistic data, then runs concurrent
 * updates and claims forever, printing the id of each one whose promise resolved. The parent kills
 * it with SIGKILL at a random point. Writes to a pipe are synchronous on Linux, so a printed id
 * has left this process before the next line of code runs.
 */
import { silentLogger } from '../../src/core/log.ts';
import { openStore } from '../../src/store/open.ts';

const [file, preload = '2000'] = process.argv.slice(2);
if (!file) throw new Error('usage: crash-child.ts FILE [PRELOAD]');

const store = await openStore({ file, log: silentLogger });
await store.update((data) => {
  for (let i = 0; i < Number(preload); i++) {
    const channel = { platform: 'discord' as const, workspaceId: `g${i % 50}`, channelId: `c${i}` };
    data.subscriptions[`discord:g${i % 50}:c${i}`] = {
      channel,
      time: '08:00',
      timezone: 'Europe/Berlin',
      days: 'every',
      createdAt: '2026-11-01T00:00:00.000Z',
      createdBy: { id: 'u1', displayName: 'Maria' },
    };
  }
});
process.stdout.write('ready\n');

let next = 0;
async function worker(): Promise<void> {
  for (;;) {
    const id = next++;
    if (id > 500_000) process.exit(0);
    if (id % 5 === 0) {
      if (!(await store.claim(`claim${id}`, String(id)))) throw new Error(`claim${id} was refused`);
    } else {
      await store.update((data) => {
        data.claims[`update${id}`] = { at: new Date().toISOString() };
      });
    }
    process.stdout.write(`${id}\n`);
  }
}
for (let w = 0; w < 16; w++) void worker();
