/**
 * `npm run build`: compiles src/ and commands/ with tsc to dist/ (dist/src/main.js is the bot), then
 * copies the files the code reads at run time next to the modules that read them (tsc copies only
 * code). Plain JavaScript so that a build needs nothing but TypeScript.
 *
 * `node scripts/build.mjs [--out-dir DIR]` builds elsewhere (the build test does); DIR should be
 * inside the project so that the built modules find node_modules.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--out-dir');
const outDir = path.resolve(root, at >= 0 ? (process.argv[at + 1] ?? 'dist') : 'dist');
/** Files read at run time relative to their module, copied from src to the same place in outDir. */
const ASSETS = ['src/store/pg/migrations'];

// Start clean: a module deleted from src must not live on in dist.
rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(
  process.execPath,
  [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', outDir],
  { stdio: 'inherit', cwd: root },
);
if (result.status !== 0) process.exit(result.status ?? 1);
for (const asset of ASSETS) cpSync(path.join(root, asset), path.join(outDir, asset), { recursive: true });
