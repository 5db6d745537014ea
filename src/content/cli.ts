import { resolve } from 'node:path';
import { exportLibrary } from './export.ts';
import { readContent } from './load.ts';
import { contentStats, formatStats } from './stats.ts';

/** `content:check`, `content:export` and `content:stats`. CONTENT_DIR overrides `./content`. */
const command = process.argv[2];
const dir = resolve(process.env.CONTENT_DIR ?? 'content');
const { library, problems } = readContent(dir);

if (problems.length > 0) {
  process.stderr.write(`Content has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`);
  for (const p of problems) process.stderr.write(`  ${p.file}: ${p.field}: ${p.message}\n`);
  process.exitCode = 1;
} else if (command === 'check') {
  const s = contentStats(library);
  process.stdout.write(
    `Content OK: ${s.topics} topics, ${s.events} events, ${s.facts.fun + s.facts.key} facts, ${s.questions.total} questions, ${s.reading} reading items.\n`,
  );
} else if (command === 'export') {
  process.stdout.write(`${JSON.stringify(exportLibrary(library), null, 2)}\n`);
} else if (command === 'stats') {
  process.stdout.write(`${formatStats(contentStats(library))}\n`);
} else {
  process.stderr.write('usage: tsx src/content/cli.ts check|export|stats\n');
  process.exitCode = 2;
}
