import type { Logger } from './core/log.ts';

/**
 * What the process does with an error nobody caught:
 * - a rejected promise nobody awaited (a platform SDK failing in the background, say) is one event
 *   gone wrong: it is logged with its cause and the bot goes on serving;
 * - an exception thrown out of an event handler leaves the process in an unknown state: it is
 *   logged, the bot shuts down cleanly (storage flushed, lock released) and exits 1, so a
 *   supervisor (Docker, systemd, Kubernetes) starts a fresh one.
 */
export function installProcessGuards(log: Logger, stop: (reason: string) => Promise<unknown>): void {
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'a background task failed and nobody handled it; serving on');
  });
  let stopping = false;
  process.on('uncaughtException', (err) => {
    log.error({ err }, 'an uncaught exception left the state unknown; stopping so a supervisor can restart');
    if (stopping) return;
    stopping = true;
    void stop('uncaught exception').finally(() => process.exit(1));
  });
}
