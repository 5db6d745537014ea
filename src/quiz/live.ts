import type { Logger } from '../core/log.ts';
import type { Platform } from '../core/platform.ts';
import type { QuizSession } from '../store/ports.ts';

const DEFAULT_EDIT_INTERVAL: Record<Platform, number> = {
  discord: 1000,
  // Slack allows about 50 chat.update calls a minute per workspace.
  slack: 4000,
  // The terminal prints every edit as a new block: no live counts there.
  console: Number.POSITIVE_INFINITY,
};

/**
 * Live answer counts on a question's message: at most one edit per interval per game, always
 * showing the latest count when it fires.
 */
export class LiveCounts {
  private readonly edits = new Map<string, { last: number; timer?: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly options: {
      now: () => Date;
      log: Logger;
      intervalMs?: Partial<Record<Platform, number>>;
      /** Edits the current question's message of the game to show the latest count. */
      edit: (session: QuizSession) => Promise<void>;
      /** The game as stored now, if it is still running. */
      load: (session: QuizSession) => Promise<QuizSession | undefined>;
    },
  ) {}

  schedule(session: QuizSession): void {
    const platform = session.channel.platform;
    const interval = this.options.intervalMs?.[platform] ?? DEFAULT_EDIT_INTERVAL[platform];
    if (!Number.isFinite(interval)) return;
    const state = this.edits.get(session.id) ?? { last: 0 };
    this.edits.set(session.id, state);
    if (state.timer) return;
    const wait = Math.max(0, state.last + interval - this.options.now().getTime());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.last = this.options.now().getTime();
      void this.options
        .load(session)
        .then((live) => live && this.options.edit(live))
        .catch((err: unknown) => this.options.log.warn({ err, game: session.id }, 'live count edit failed'));
    }, wait);
  }

  cancel(gameId: string): void {
    const state = this.edits.get(gameId);
    if (state?.timer) clearTimeout(state.timer);
    if (state) state.timer = undefined;
  }

  forget(gameId: string): void {
    this.cancel(gameId);
    this.edits.delete(gameId);
  }

  clear(): void {
    for (const id of [...this.edits.keys()]) this.forget(id);
  }
}
