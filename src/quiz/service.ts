import type { ContentIndex } from '../content/index.ts';
import type { Difficulty, Question } from '../content/schema.ts';
import { type Actor, UserError } from '../core/command.ts';
import type { Logger } from '../core/log.ts';
import {
  type ChannelRef,
  channelKey,
  type MessageRef,
  type Platform,
  type Poster,
} from '../core/platform.ts';
import { shuffle } from '../core/random.ts';
import { errorReply, type Reply, reply } from '../core/reply.ts';
import { monthPeriod, resultKey, scoreKey } from '../store/keys.ts';
import type { Data, QuizMode, QuizResult, QuizSession, Store } from '../store/types.ts';
import { type MachineEnv, newSession, type QuizEffect, type QuizEvent, standings, step } from './machine.ts';
import { LETTERS, questionCard, revealCard, scoreboardCard } from './render.ts';
import { noteAnswer, studyRecord } from './study.ts';

export interface QuizServiceOptions {
  store: Store;
  content: ContentIndex;
  log: Logger;
  now: () => Date;
  random: () => number;
  /** Pause between showing an answer and the next question. */
  pauseMs?: number;
  /** Least time between live edits of a question's answer count, per platform (Infinity: none). */
  editIntervalMs?: Partial<Record<Platform, number>>;
}

export interface StartRequest {
  actor: Actor;
  topic?: string;
  difficulty?: Difficulty;
  questions: number;
  seconds: number;
  mode: QuizMode;
}

const DEFAULT_EDIT_INTERVAL: Record<Platform, number> = {
  discord: 1000,
  // Slack allows about 50 chat.update calls a minute per workspace.
  slack: 4000,
  // The terminal prints every edit as a new block: no live counts there.
  console: Number.POSITIVE_INFINITY,
};

/** How many recent games of a channel the question picker avoids repeating. */
const RECENT_GAMES = 5;

/**
 * Runs quiz games: owns timers and posting, keeps every game in the store so a restart resumes it,
 * and records results, leaderboards and study records when a game ends.
 */
export class QuizService {
  private readonly posters = new Map<Platform, Poster>();
  private readonly timers = new Map<string, Set<ReturnType<typeof setTimeout>>>();
  private readonly edits = new Map<string, { last: number; timer?: ReturnType<typeof setTimeout> }>();
  private readonly env: MachineEnv;
  private stopped = false;

  constructor(private readonly options: QuizServiceOptions) {
    this.env = { random: options.random, pauseMs: options.pauseMs ?? 5000 };
  }

  registerPoster(platform: Platform, poster: Poster): void {
    this.posters.set(platform, poster);
  }

  /** The game running in a channel, if any. */
  game(channel: ChannelRef): QuizSession | undefined {
    return this.options.store.read().quizSessions[channelKey(channel)];
  }

  async start(req: StartRequest): Promise<Reply> {
    const { actor } = req;
    if (actor.inServer === false)
      throw new UserError('Quizzes run in a server channel, not in direct messages.');
    const poster = this.posters.get(actor.channel.platform);
    if (!poster) throw new UserError('Quizzes are not available here right now.');
    const running = this.game(actor.channel);
    if (running) {
      throw new UserError(
        `A quiz is already running in this channel (question ${running.current + 1} of ${running.questionIds.length}, started by ${running.startedBy.displayName}). Play along, or a host can end it with \`/quiz stop\`.`,
      );
    }
    const problem = await poster.checkChannel?.(actor.channel);
    if (problem) throw new UserError(problem);
    const questionIds = this.pickQuestions(actor.channel, req);
    const at = this.options.now().getTime();
    const id = Math.floor(this.options.random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
    const key = channelKey(actor.channel);
    const created = newSession(
      {
        id,
        channel: actor.channel,
        startedBy: { id: actor.user.id, displayName: actor.user.displayName },
        mode: req.mode,
        seconds: req.seconds,
        questionIds,
        topic: req.topic,
        difficulty: req.difficulty,
        at,
      },
      this.env,
    );
    const won = await this.options.store.update((data) => {
      if (data.quizSessions[key]) return false;
      data.quizSessions[key] = created.session;
      return true;
    });
    if (!won) throw new UserError('A quiz was just started in this channel. Play along!');
    this.options.log.info(
      { game: id, channel: key, questions: questionIds.length, mode: req.mode },
      'quiz started',
    );
    // Post the first question after the command's own reply has gone out.
    setTimeout(() => void this.perform(key, created.session, created.effects), 0);
    const topic = req.topic ? this.options.content.topic(req.topic)?.title : undefined;
    return reply({
      title: 'Quiz time!',
      text: [
        `${actor.user.displayName} started a ${req.mode === 'learner' ? 'learner' : 'race'} quiz: **${questionIds.length} questions**${topic ? ` on *${topic}*` : ''}${req.difficulty ? ` (${req.difficulty})` : ''}, ${req.seconds} seconds each.`,
        'Click A, B, C or D to answer. Only your first click counts.',
        req.mode === 'race'
          ? 'Faster right answers score more, and streaks earn a bonus.'
          : 'Take your time: every right answer scores the same.',
      ].join('\n'),
    });
  }

  private pickQuestions(channel: ChannelRef, req: StartRequest): string[] {
    const pool = this.options.content.questions({ topic: req.topic, difficulty: req.difficulty });
    if (pool.length < req.questions) {
      const what = [req.topic && `on ${req.topic}`, req.difficulty && `at ${req.difficulty} difficulty`]
        .filter(Boolean)
        .join(' ');
      throw new UserError(
        pool.length === 0
          ? `There are no questions ${what} yet. Try another topic or difficulty.`
          : `There ${pool.length === 1 ? 'is only 1 question' : `are only ${pool.length} questions`} ${what}. Ask for ${Math.max(3, pool.length)} or fewer${pool.length < 3 ? ', or choose a wider topic' : ''}.`,
      );
    }
    const key = channelKey(channel);
    const recentGames = Object.entries(this.options.store.read().quizResults)
      .filter(([k]) => k.startsWith(`${key}:`))
      .map(([, r]) => r)
      .sort((a, b) => b.endedAt.localeCompare(a.endedAt))
      .slice(0, RECENT_GAMES);
    const recent = new Set(recentGames.flatMap((r) => r.rounds.map((x) => x.questionId)));
    const fresh = shuffle(
      pool.filter((q) => !recent.has(q.id)),
      this.options.random,
    );
    const seen = shuffle(
      pool.filter((q) => recent.has(q.id)),
      this.options.random,
    );
    return [...fresh, ...seen].slice(0, req.questions).map((q) => q.id);
  }

  /** A button click: `payload` is `gameId:round:choice`. Resolves once the answer is durable. */
  async answer(actor: Actor, payload: string): Promise<Reply> {
    const [gameId, roundText, choiceText] = payload.split(':');
    const round = Number(roundText);
    const choice = Number(choiceText);
    const key = channelKey(actor.channel);
    const session = this.game(actor.channel);
    if (!session || session.id !== gameId)
      return errorReply('That quiz has ended. Start a new one with `/quiz start`.');
    const { effects } = await this.dispatch(key, gameId, {
      type: 'answer',
      user: { id: actor.user.id, displayName: actor.user.displayName },
      round,
      choice,
      at: this.options.now().getTime(),
    });
    const mine = effects?.find(
      (e): e is Extract<QuizEffect, { type: 'locked' | 'refused' }> =>
        (e.type === 'locked' || e.type === 'refused') && e.userId === actor.user.id,
    );
    if (!mine) return errorReply('That quiz has ended. Start a new one with `/quiz start`.');
    if (mine.type === 'locked')
      return reply({ text: `Locked in: **${LETTERS[mine.choice]}**`, ephemeral: true });
    const reasons = {
      already: 'You have already answered this question: only your first answer counts.',
      closed: 'Time is up for this question. Get ready for the next one!',
      stale: 'That question is over. Answer the current one!',
      invalid: 'That is not one of the options.',
    } as const;
    return errorReply(reasons[mine.reason]);
  }

  async stop(actor: Actor): Promise<Reply> {
    const session = this.requireControl(actor, 'stop');
    await this.dispatch(channelKey(actor.channel), session.id, {
      type: 'stop',
      at: this.options.now().getTime(),
    });
    return reply({ text: `Quiz stopped by ${actor.user.displayName}. Scores so far are saved.` });
  }

  async skip(actor: Actor): Promise<Reply> {
    const session = this.requireControl(actor, 'skip');
    const revealed = session.rounds[session.current]?.revealed;
    await this.dispatch(channelKey(actor.channel), session.id, {
      type: 'skip',
      at: this.options.now().getTime(),
    });
    return reply({
      text: revealed ? 'Moving on to the next question.' : 'Skipping: here is the answer.',
      ephemeral: true,
    });
  }

  private requireControl(actor: Actor, what: 'stop' | 'skip'): QuizSession {
    const session = this.game(actor.channel);
    if (!session) throw new UserError(`There is no quiz running in this channel to ${what}.`);
    if (session.startedBy.id !== actor.user.id && !actor.isHost) {
      throw new UserError(
        `Only ${session.startedBy.displayName}, who started this quiz, or a host can ${what} it.`,
      );
    }
    return session;
  }

  /** Applies an event to the channel's game (if it is still `gameId`) durably, then carries out its effects. */
  private async dispatch(
    key: string,
    gameId: string | undefined,
    event: QuizEvent,
  ): Promise<{ effects?: QuizEffect[]; done: Promise<void> }> {
    const now = this.options.now();
    const out = await this.options.store.update((data) => {
      const session = data.quizSessions[key];
      if (!session || (gameId && session.id !== gameId)) return undefined;
      const result = step(session, event, this.env);
      if (result.effects.some((e) => e.type === 'finish')) {
        const stopped = result.effects.some((e) => e.type === 'finish' && e.stopped);
        delete data.quizSessions[key];
        this.recordResult(data, result.session, stopped, now);
      } else data.quizSessions[key] = result.session;
      return result;
    });
    if (!out) return { done: Promise.resolve() };
    // Effects (posting, timers) run after the change is durable; callers acknowledge without waiting for them.
    const done = this.perform(key, out.session, out.effects);
    return { effects: out.effects, done };
  }

  private async perform(key: string, session: QuizSession, effects: QuizEffect[]): Promise<void> {
    for (const effect of effects) {
      try {
        await this.performOne(key, session, effect);
      } catch (error) {
        this.options.log.error({ err: error, game: session.id, effect: effect.type }, 'quiz step failed');
      }
    }
  }

  private async performOne(key: string, session: QuizSession, effect: QuizEffect): Promise<void> {
    if (this.stopped) return;
    const poster = this.posters.get(session.channel.platform);
    switch (effect.type) {
      case 'ask': {
        if (!poster) return;
        const question = this.question(session, effect.round);
        const ref = await poster.post(session.channel, questionCard(session, effect.round, question));
        await this.options.store.update((data) => {
          const live = data.quizSessions[key];
          const round = live?.id === session.id ? live.rounds[effect.round] : undefined;
          if (round) round.messageId = ref.messageId;
        });
        return;
      }
      case 'timer': {
        const delay = Math.max(0, effect.at - this.options.now().getTime());
        const timers = this.timers.get(session.id) ?? new Set();
        const handle = setTimeout(() => {
          timers.delete(handle);
          void this.dispatch(key, session.id, {
            type: effect.kind,
            round: effect.round,
            at: this.options.now().getTime(),
          }).catch((err: unknown) => this.options.log.error({ err, game: session.id }, 'quiz timer failed'));
        }, delay);
        timers.add(handle);
        this.timers.set(session.id, timers);
        return;
      }
      case 'count':
        return this.scheduleCountEdit(key, session.id);
      case 'reveal': {
        if (!poster) return;
        const question = this.question(session, effect.round);
        const messageId =
          this.liveRound(key, session.id, effect.round)?.messageId ?? session.rounds[effect.round]?.messageId;
        this.cancelCountEdit(session.id);
        if (messageId) {
          await poster
            .edit(
              { channel: session.channel, messageId },
              questionCard(session, effect.round, question, true),
            )
            .catch((err: unknown) =>
              this.options.log.warn({ err, game: session.id }, 'could not close the question message'),
            );
        }
        await poster.post(session.channel, revealCard(session, effect.round, question));
        return;
      }
      case 'finish': {
        this.clearTimers(session.id);
        this.options.log.info({ game: session.id, channel: key, stopped: effect.stopped }, 'quiz finished');
        if (poster)
          await poster.post(session.channel, scoreboardCard(session, standings(session), effect.stopped));
        return;
      }
      case 'locked':
      case 'refused':
        return;
    }
  }

  private question(session: QuizSession, index: number): Question {
    const id = session.rounds[index]?.questionId ?? session.questionIds[index];
    const question = id ? this.options.content.question(id) : undefined;
    if (!question) throw new Error(`question ${id} of game ${session.id} is not in the library`);
    return question;
  }

  private liveRound(key: string, gameId: string, index: number) {
    const live = this.options.store.read().quizSessions[key];
    return live?.id === gameId ? live.rounds[index] : undefined;
  }

  /** Live answer counts: at most one edit per interval per game, always showing the latest count. */
  private scheduleCountEdit(key: string, gameId: string): void {
    const session = this.options.store.read().quizSessions[key];
    if (!session || session.id !== gameId) return;
    const interval =
      this.options.editIntervalMs?.[session.channel.platform] ??
      DEFAULT_EDIT_INTERVAL[session.channel.platform];
    if (!Number.isFinite(interval)) return;
    const state = this.edits.get(gameId) ?? { last: 0 };
    this.edits.set(gameId, state);
    if (state.timer) return;
    const wait = Math.max(0, state.last + interval - this.options.now().getTime());
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.last = this.options.now().getTime();
      const live = this.options.store.read().quizSessions[key];
      const round = live?.id === gameId ? live.rounds[live.current] : undefined;
      const poster = live && this.posters.get(live.channel.platform);
      if (!live || !round || round.revealed || !round.messageId || !poster) return;
      const ref: MessageRef = { channel: live.channel, messageId: round.messageId };
      poster
        .edit(ref, questionCard(live, live.current, this.question(live, live.current)))
        .catch((err: unknown) => this.options.log.warn({ err, game: gameId }, 'live count edit failed'));
    }, wait);
  }

  private cancelCountEdit(gameId: string): void {
    const state = this.edits.get(gameId);
    if (state?.timer) clearTimeout(state.timer);
    if (state) state.timer = undefined;
  }

  private clearTimers(gameId: string): void {
    for (const t of this.timers.get(gameId) ?? []) clearTimeout(t);
    this.timers.delete(gameId);
    this.cancelCountEdit(gameId);
    this.edits.delete(gameId);
  }

  /** Saves a finished game: its answers, the leaderboards (not for practice games) and study records. */
  private recordResult(data: Data, session: QuizSession, stopped: boolean, now: Date): void {
    const players = standings(session);
    const practice = players.length <= 1;
    const result: QuizResult = {
      id: session.id,
      channel: session.channel,
      startedBy: session.startedBy,
      startedAt: session.startedAt,
      endedAt: now.toISOString(),
      mode: session.mode,
      ...(session.topic ? { topic: session.topic } : {}),
      ...(session.difficulty ? { difficulty: session.difficulty } : {}),
      practice,
      stopped,
      rounds: session.rounds.map((r) => ({ questionId: r.questionId, answers: Object.values(r.answers) })),
      players,
    };
    data.quizResults[resultKey(session.channel, session.id)] = result;
    const ws = session.channel;
    const iso = now.toISOString();
    if (!practice) {
      for (const period of [monthPeriod(now), 'all']) {
        const key = scoreKey(ws, period);
        const board = data.scores[key] ?? {
          platform: ws.platform,
          workspaceId: ws.workspaceId,
          period,
          users: {},
        };
        for (const p of players) {
          const e = board.users[p.userId] ?? {
            displayName: p.displayName,
            points: 0,
            games: 0,
            correct: 0,
            answered: 0,
            updatedAt: iso,
          };
          board.users[p.userId] = {
            displayName: p.displayName,
            points: e.points + p.points,
            games: e.games + 1,
            correct: e.correct + p.correct,
            answered: e.answered + p.answered,
            updatedAt: iso,
          };
        }
        data.scores[key] = board;
      }
    }
    for (const p of players) {
      const record = studyRecord(data, ws, { id: p.userId, displayName: p.displayName }, iso);
      if (practice) record.practiceGames += 1;
      else record.games += 1;
      for (const round of session.rounds) {
        const a = round.answers[p.userId];
        if (!a) continue;
        noteAnswer(record, {
          questionId: round.questionId,
          topics: this.options.content.question(round.questionId)?.topics ?? [],
          correct: a.correct,
          at: a.at,
          source: `quiz:${session.id}`,
        });
      }
    }
  }

  /** After a restart: every stored game resumes at its current question with a fresh timer. */
  async resume(): Promise<number> {
    const sessions = Object.entries(this.options.store.read().quizSessions);
    let resumed = 0;
    for (const [key, stored] of sessions) {
      if (!this.posters.has(stored.channel.platform)) continue;
      const at = this.options.now().getTime();
      const out = await this.options.store.update((data) => {
        const session = data.quizSessions[key];
        if (!session || session.id !== stored.id) return undefined;
        const round = session.rounds[session.current];
        if (!round) return undefined;
        if (round.revealed) {
          return {
            session,
            effects: [{ type: 'timer', kind: 'next', round: session.current, at } as QuizEffect],
          };
        }
        round.shownAt = new Date(at).toISOString();
        round.endsAt = new Date(at + session.seconds * 1000).toISOString();
        delete round.messageId;
        session.updatedAt = round.shownAt;
        const effects: QuizEffect[] = [
          { type: 'ask', round: session.current },
          { type: 'timer', kind: 'timeout', round: session.current, at: at + session.seconds * 1000 },
        ];
        return { session: structuredClone(session), effects };
      });
      if (!out) continue;
      resumed++;
      this.options.log.info(
        { game: stored.id, channel: key, question: stored.current + 1 },
        'quiz resumed after restart',
      );
      await this.perform(key, out.session, out.effects);
    }
    return resumed;
  }

  /**
   * Stops timers. Games on `finishPlatforms` (the terminal, whose input has ended) are ended and
   * saved; others stay in the store and resume on the next start.
   */
  async shutdown(finishPlatforms: readonly Platform[] = []): Promise<void> {
    for (const [key, session] of Object.entries(this.options.store.read().quizSessions)) {
      if (finishPlatforms.includes(session.channel.platform)) {
        const { done } = await this.dispatch(key, session.id, {
          type: 'stop',
          at: this.options.now().getTime(),
        });
        await done;
      }
    }
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.clearTimers(id);
    for (const id of [...this.edits.keys()]) this.cancelCountEdit(id);
  }
}
