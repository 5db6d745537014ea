/**
 * Preloaded into a bot process by the memory benchmarks (`node --expose-gc --import ./bench/_probe.mjs
 * ...`): on the IPC message `measure` it collects garbage and answers with process.memoryUsage().
 * Plain JavaScript, so that it measures the process as production runs it (no TypeScript loader).
 */
const gc = globalThis.gc;
process.channel?.unref();
process.on('message', async (message) => {
  if (message?.type !== 'measure') return;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.send?.({ type: 'memory', gc: Boolean(gc), memory: process.memoryUsage() });
});

// Processes without an IPC channel to the benchmark (shard processes, whose channel is their
// manager's): SIGUSR2 collects garbage, and the benchmark reads the resident size from /proc.
process.on('SIGUSR2', () => {
  for (let i = 0; i < 3; i++) gc?.();
});
