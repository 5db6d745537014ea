/** Child for the process guard test: a rejection nobody handles, then (on request) a thrown exception. */
import { createLogger } from '../../src/log.ts';
import { installProcessGuards } from '../../src/process-guards.ts';

const log = createLogger({ level: 'info', pretty: false, destination: process.stdout });
installProcessGuards(log, async (reason) => {
  process.stdout.write(`${JSON.stringify({ msg: 'stopped', reason })}\n`);
});
void Promise.reject(new Error('background failure'));
setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ msg: 'still serving' })}\n`);
  if (process.argv[2] === 'throw')
    setTimeout(() => {
      throw new Error('handler blew up');
    }, 10);
  else process.exit(0);
}, 50);
