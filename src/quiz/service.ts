import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { ContentIndex } from '../content/index.ts';
import type { Difficulty, Question } from '../content/schema.ts';
import { type Actor, UserError } from '../core/command.ts';
import type { Logger } from '../core/log.ts';
import { type ChannelRef, channelKey, type Platform } from '../core/platform.ts';
import type { Posters } from '../core/posters.ts';
import { errorReply, type Reply, reply } from '../core/reply.ts';
import type { GamesRepo, QuizMode, QuizSession, ResultsRepo, WorkspaceRef } from '../store/ports.ts';
import type { StudyService } from '../study/service.ts';
import { LiveCounts } from './live.ts';
import { type MachineEnv, newSession, type QuizEffect, type QuizEvent, standings, step } from './machine.ts';
import { pickQuestions } from './picker.ts';
import { PracticePresses } from './presses.ts';
import { LETTERS, questionCard, revealCard, scoreboardCard } from './render.ts';
import { resultOf } from './results.ts';

export interface QuizServiceOptions {
  games: GamesRepo;
  results: ResultsRepo;
  posters: Posters;
  content: ContentIndex;
  log: Logger;
  now: () => Date;
  random: () => number;
  /** Pause between showing an answer and the next question. */
  pauseMs?: number;
  /** Least time between live edits of a question's answer count, per platform (Infinity: none). */
  editIntervalMs?: Partial<Record<Platform, number>>;
  /** The learners' review decks: each player's answer is recorded when the question closes. */
  study?: Pick<StudyService, 'recordAnswer' | 'inDeck'>;
  /** Questions hidden in a workspace (accepted disputes): never picked there. */
  hiddenQuestions?: (ws: WorkspaceRef) => Promise<ReadonlySet<string>>;
}

export interface StartRequest {
  actor: Actor;
  topic?: string;
  difficulty?: Difficulty;
  questions: number;
  seconds: number;
  mode: QuizMode;
  /** Play fewer questions than asked when that is all there is (quiz nights); refuse otherwise. */
  upTo?: boolean;
}

const ENDED = 'That quiz has ended. Start a new one with `/quiz start`.';
/** Waits before trying a quiz step again that could not be saved (the last one repeats). */
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Runs quiz games: owns timers and posting, keeps every game stored so a restart resumes it, and
 * stores the result when a game ends. Changes of a game's state go one at a time per channel;
 * answers are recorded on their own (one record each), so a burst of clicks never waits in line.
 */
/** Review-deck writes at once, across games: fewer than the PostgreSQL pool (10) and libuv's 4 threads. */
const STUDY_WRITES = 2;

export class QuizService {
  private readonly timers = new Map<string, Set<ReturnType<typeof setTimeout>>>();
  /**
   * Review-deck writes of every game's reveals take turns: 20 games revealing together make 600
   * learners' writes, which would otherwise take every storage connection (or I/O thread) ahead of
   * the clicks that wait for theirs.
   */
  private readonly studyWrites = pLimit(STUDY_WRITES);
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly live: LiveCounts;
  private readonly env: MachineEnv;
  private stopped = false;
  /** Games whose result this process stored, until they are removed (a retry posts the scoreboard). */
  private readonly recorded = new Set<string>();
  /** First presses of private practice questions, which are not games. */
  readonly practice = new PracticePresses();

  constructor(private readonly options: QuizServiceOptions) {
    this.env = { random: options.random, pauseMs: options.pauseMs ?? 5000 };
    this.live = new LiveCounts({
      now: options.now,
      log: options.log,
      intervalMs: options.editIntervalMs,
      load: (session) => this.current(session),
      edit: (session) => this.editCount(session),
    });
  }

  /** The game running in a channel, if any. */
  game(channel: ChannelRef): Promise<QuizSession | undefined> {
    return this.options.games.get(channel);
  }

  async start(req: StartRequest): Promise<Reply> {
    const { actor } = req;
    if (actor.inServer === false)
      throw new UserError('Quizzes run in a server channel, not in direct messages.');
    const poster = this.options.posters.get(actor.channel.platform);
    if (!poster) throw new UserError('Quizzes are not available here right now.');
    const running = await this.game(actor.channel);
    if (running) {
      throw new UserError(
        `A quiz is already running in this channel (question ${running.current + 1} of ${running.questionIds.length}, started by ${running.startedBy.displayName}). Play along, or a host can end it with \`/quiz stop\`.`,
      );
    }
    const problem = await poster.checkChannel?.(actor.channel);
    if (problem) throw new UserError(problem);
    const questionIds = await pickQuestions(this.options, actor.channel, req);
    const id = Math.floor(this.options.random() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
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
        at: this.options.now().getTime(),
      },
      this.env,
    );
    if (!(await this.options.games.create(created.session)))
      throw new UserError('A quiz was just started in this channel. Play along!');
    this.options.log.info(
      { game: id, channel: channelKey(actor.channel), questions: questionIds.length, mode: req.mode },
      'quiz started',
    );
    // Post the first question after the command's own reply has gone out.
    setTimeout(() => void this.perform(created.session, created.effects), 0);
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

  /** A button click: `payload` is `gameId:round:choice`. Resolves once the answer is durable. */
  async answer(actor: Actor, payload: string): Promise<Reply> {
    const [gameId, roundText, choiceText] = payload.split(':');
    const round = Number(roundText);
    const session = await this.options.games.getForAnswer(actor.channel);
    if (!session || session.id !== gameId) return errorReply(ENDED);
    const at = this.options.now().getTime();
    const out = step(
      session,
      {
        type: 'answer',
        user: { id: actor.user.id, displayName: actor.user.displayName },
        round,
        choice: Number(choiceText),
        at,
      },
      this.env,
    );
    const mine = out.effects.find(
      (e): e is Extract<QuizEffect, { type: 'locked' | 'refused' }> =>
        (e.type === 'locked' || e.type === 'refused') && e.userId === actor.user.id,
    );
    if (!mine) return errorReply(ENDED);
    if (mine.type === 'refused') return errorReply(REFUSALS[mine.reason]);
    const answer = out.session.rounds[round]?.answers[actor.user.id];
    const questionId = out.session.rounds[round]?.questionId;
    // Asked alongside the write: whether the reveal will put this question into the player's deck.
    const inDeck = questionId ? this.inDeck(actor, questionId) : Promise.resolve(true);
    if (!answer || !(await this.options.games.recordAnswer(actor.channel, session.id, round, answer)))
      return errorReply(REFUSALS.already);
    this.live.schedule(session);
    // Learner mode: once everyone playing has answered, reveal at once. Decided on the stored game,
    // after this answer is stored, so of answers arriving together the last one sees them all.
    if (
      session.mode === 'learner' &&
      (await this.options.games.everyoneAnswered(actor.channel, session.id, round))
    )
      void this.dispatch(actor.channel, session.id, { type: 'allAnswered', round, at }).catch(
        (err: unknown) => this.options.log.error({ err, game: session.id }, 'quiz reveal failed'),
      );
    // The reveal is public, so the private word about the review deck goes here, in the acknowledgement.
    const deckLine = (await inDeck) ? '' : ` ${DECK_LINE}`;
    return reply({ text: `Locked in: **${LETTERS[mine.choice]}**.${deckLine}`, ephemeral: true });
  }

  /** Whether the player already has a card for the question; true (say nothing) when unknown. */
  private async inDeck(actor: Actor, questionId: string): Promise<boolean> {
    const study = this.options.study;
    if (!study) return true;
    try {
      return await study.inDeck(actor.channel, actor.user.id, questionId);
    } catch (err) {
      this.options.log.warn({ err }, 'could not look up the review deck');
      return true;
    }
  }

  /**
   * Each player's answer to a closed question goes into their review deck, timed from when the
   * question was shown. A failure is logged and the game goes on: the deck is not the game.
   */
  private async recordStudy(session: QuizSession, index: number): Promise<void> {
    const study = this.options.study;
    const round = session.rounds[index];
    if (!study || !round) return;
    await Promise.all(
      Object.values(round.answers).map((answer) =>
        this.studyWrites(() =>
          study.recordAnswer({
            ws: session.channel,
            userId: answer.userId,
            questionId: round.questionId,
            correct: answer.correct,
            elapsedMs: answer.ms,
            limitMs: session.seconds * 1000,
            source: 'quiz',
            at: new Date(answer.at),
          }),
        ).catch((err: unknown) =>
          this.options.log.error(
            { err, game: session.id, round: index },
            'could not record a quiz answer in the review deck',
          ),
        ),
      ),
    );
  }

  async stop(actor: Actor): Promise<Reply> {
    const session = await this.requireControl(actor, 'stop');
    await this.dispatch(actor.channel, session.id, { type: 'stop', at: this.options.now().getTime() });
    return reply({ text: `Quiz stopped by ${actor.user.displayName}. Scores so far are saved.` });
  }

  async skip(actor: Actor): Promise<Reply> {
    const session = await this.requireControl(actor, 'skip');
    const revealed = session.rounds[session.current]?.revealed;
    await this.dispatch(actor.channel, session.id, { type: 'skip', at: this.options.now().getTime() });
    return reply({
      text: revealed ? 'Moving on to the next question.' : 'Skipping: here is the answer.',
      ephemeral: true,
    });
  }

  private async requireControl(actor: Actor, what: 'stop' | 'skip'): Promise<QuizSession> {
    const session = await this.game(actor.channel);
    if (!session) throw new UserError(`There is no quiz running in this channel to ${what}.`);
    if (session.startedBy.id !== actor.user.id && !actor.isHost) {
      throw new UserError(
        `Only ${session.startedBy.displayName}, who started this quiz, or a host can ${what} it.`,
      );
    }
    return session;
  }

  /** Runs `fn` after every earlier change of the channel's game has finished. */
  private serial<T>(channel: ChannelRef, fn: () => Promise<T>): Promise<T> {
    const key = channelKey(channel);
    const run = (this.queues.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  /**
   * Applies an event to the channel's game (if it is still `gameId`) durably, then carries out its
   * effects. Resolves when the change is stored; `done` when the effects have run.
   */
  private async dispatch(
    channel: ChannelRef,
    gameId: string,
    event: QuizEvent,
  ): Promise<{ effects?: QuizEffect[]; done: Promise<void> }> {
    const out = await this.serial(channel, async () => {
      const session = await this.options.games.get(channel);
      if (!session || session.id !== gameId) return undefined;
      const result = step(session, event, this.env);
      const finish = result.effects.find((e) => e.type === 'finish');
      if (finish) {
        if (!(await this.finish(result.session, finish.stopped))) return undefined;
      } else if (result.session !== session || result.effects.length > 0) {
        const key = stepKey(event, result.effects);
        const { games } = this.options;
        // Shared by several processes: of two taking the same step, one stores it and acts on it.
        if (games.saveStep && key) {
          if (!(await games.saveStep(result.session, key))) return undefined;
        } else await games.save(result.session);
      }
      return result;
    });
    if (!out) return { done: Promise.resolve() };
    // Effects (posting, timers) run after the change is durable; callers acknowledge without waiting for them.
    return { effects: out.effects, done: this.perform(out.session, out.effects) };
  }

  /**
   * Stores the result (once), then ends the game. False when another process stored it (with a
   * store shared by several processes): that one posts the scoreboard.
   */
  private async finish(session: QuizSession, stopped: boolean): Promise<boolean> {
    const result = resultOf(session, stopped, this.options.now());
    const recorded = await this.options.results.record(
      result,
      (id) => this.options.content.question(id)?.topics ?? [],
    );
    if (recorded) this.recorded.add(session.id);
    await this.options.games.remove(session.channel, session.id);
    const mine = recorded || this.recorded.has(session.id) || !this.options.games.saveStep;
    this.recorded.delete(session.id);
    return mine;
  }

  private async perform(session: QuizSession, effects: QuizEffect[]): Promise<void> {
    for (const effect of effects) {
      try {
        await this.performOne(session, effect);
      } catch (error) {
        this.options.log.error({ err: error, game: session.id, effect: effect.type }, 'quiz step failed');
      }
    }
  }

  private async performOne(session: QuizSession, effect: QuizEffect): Promise<void> {
    if (this.stopped) return;
    const poster = this.options.posters.get(session.channel.platform);
    switch (effect.type) {
      case 'ask': {
        if (!poster) return;
        const question = this.question(session, effect.round);
        // Marked, so a post whose answer was lost is neither sent twice (Discord's nonce) nor lost.
        const marker = questionMarker(session, effect.round);
        const ref = await poster
          .post(session.channel, questionCard(session, effect.round, question), { marker })
          .catch(async (error: unknown) => {
            const landed = await poster.findPost?.(session.channel, marker).catch(() => undefined);
            if (!landed) throw error;
            return landed;
          });
        await this.options.games.setMessageId(session.channel, session.id, effect.round, ref.messageId);
        return;
      }
      case 'timer': {
        const { kind, round } = effect;
        this.arm(session, Math.max(0, effect.at - this.options.now().getTime()), () =>
          this.dispatch(session.channel, session.id, { type: kind, round, at: this.options.now().getTime() }),
        );
        return;
      }
      case 'count':
        return this.live.schedule(session);
      case 'reveal': {
        const stored = await this.current(session);
        const shown = stored ?? session;
        await this.recordStudy(shown, effect.round);
        if (!poster) return;
        const question = this.question(session, effect.round);
        const messageId = stored?.rounds[effect.round]?.messageId ?? session.rounds[effect.round]?.messageId;
        this.live.cancel(session.id);
        if (messageId) {
          await poster
            .edit(
              { channel: session.channel, messageId },
              questionCard(shown, effect.round, question, effect.reason),
            )
            .catch((err: unknown) =>
              this.options.log.warn({ err, game: session.id }, 'could not close the question message'),
            );
        }
        await poster.post(session.channel, revealCard(shown, effect.round, question));
        return;
      }
      case 'finish': {
        this.clearTimers(session.id);
        this.options.log.info(
          { game: session.id, channel: channelKey(session.channel), stopped: effect.stopped },
          'quiz finished',
        );
        if (poster)
          await poster.post(session.channel, scoreboardCard(session, standings(session), effect.stopped));
        return;
      }
      case 'locked':
      case 'refused':
        return;
    }
  }

  /** The game as stored now, if it is still the same game. */
  private async current(session: QuizSession): Promise<QuizSession | undefined> {
    const live = await this.options.games.get(session.channel);
    return live?.id === session.id ? live : undefined;
  }

  private async editCount(live: QuizSession): Promise<void> {
    const round = live.rounds[live.current];
    const poster = this.options.posters.get(live.channel.platform);
    if (!round || round.revealed || !round.messageId || !poster) return;
    await poster.edit(
      { channel: live.channel, messageId: round.messageId },
      questionCard(live, live.current, this.question(live, live.current)),
    );
  }

  /**
   * Arms one of a game's timers. A step that cannot be saved (a full disk, a database outage) is
   * undone by the store, so it is tried again with backoff until it can be: a game never waits
   * without a timer, and moves on as soon as writes work again.
   */
  private arm(session: QuizSession, delay: number, run: () => Promise<unknown>, attempt = 0): void {
    const timers = this.timers.get(session.id) ?? new Set();
    const handle = setTimeout(() => {
      this.timers.get(session.id)?.delete(handle);
      if (this.stopped) return;
      run().catch((err: unknown) => {
        if (this.stopped) return;
        const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] as number;
        this.options.log.error(
          { err, game: session.id, retryInMs: wait },
          'quiz step could not be saved; trying again',
        );
        this.arm(session, wait, run, attempt + 1);
      });
    }, delay);
    timers.add(handle);
    this.timers.set(session.id, timers);
  }

  private question(session: QuizSession, index: number): Question {
    const id = session.rounds[index]?.questionId ?? session.questionIds[index];
    const question = id ? this.options.content.question(id) : undefined;
    if (!question) throw new Error(`question ${id} of game ${session.id} is not in the library`);
    return question;
  }

  private clearTimers(gameId: string): void {
    for (const t of this.timers.get(gameId) ?? []) clearTimeout(t);
    this.timers.delete(gameId);
    this.live.forget(gameId);
  }

  /**
   * After a restart: every stored game on `platform` (on every platform that can post, when not
   * given) resumes at its current question with a fresh timer. Called once per platform, as it
   * connects. A game whose resume cannot be saved is tried again with backoff, like a timer step.
   */
  /** `owns`: the channels this process serves (a Discord shard: its own guilds); default all. */
  async resume(platform?: Platform, owns: (channel: ChannelRef) => boolean = () => true): Promise<number> {
    let resumed = 0;
    for (const stored of await this.options.games.all()) {
      if (platform !== undefined && stored.channel.platform !== platform) continue;
      if (!owns(stored.channel)) continue;
      if (!this.options.posters.has(stored.channel.platform)) continue;
      try {
        if (await this.resumeOne(stored)) resumed++;
      } catch (err) {
        this.options.log.error({ err, game: stored.id }, 'quiz could not resume; trying again');
        this.arm(stored, RETRY_MS[0] as number, () => this.resumeOne(stored), 1);
      }
    }
    return resumed;
  }

  private async resumeOne(stored: QuizSession): Promise<boolean> {
    // Ended just before the restart: the result is stored, only the game was left behind.
    if (await this.options.results.has(stored.channel, stored.id)) {
      await this.options.games.remove(stored.channel, stored.id);
      return false;
    }
    const { effects, done } = await this.dispatch(stored.channel, stored.id, {
      type: 'resume',
      at: this.options.now().getTime(),
    });
    if (!effects?.length) return false;
    this.options.log.info(
      { game: stored.id, channel: channelKey(stored.channel), question: stored.current + 1 },
      'quiz resumed after restart',
    );
    await done;
    return true;
  }

  /**
   * With several processes: steps games whose timer is overdue by more than `graceMs` (the process
   * that armed it has stopped or died). Each step is stored once whichever process takes it, and
   * this process then runs the game's timers. Returns how many games were taken over.
   */
  async sweep(graceMs = 2_000): Promise<number> {
    let taken = 0;
    const now = this.options.now().getTime();
    for (const game of await this.options.games.all()) {
      if (!this.options.posters.has(game.channel.platform)) continue;
      const round = game.rounds[game.current];
      if (!round) continue;
      const due = round.revealed
        ? Date.parse(game.updatedAt) + this.env.pauseMs
        : Date.parse(round.endsAt ?? '');
      if (!(now > due + graceMs)) continue;
      const event: QuizEvent = round.revealed
        ? { type: 'next', round: game.current, at: now }
        : { type: 'timeout', round: game.current, at: now };
      try {
        const { effects, done } = await this.dispatch(game.channel, game.id, event);
        if (!effects?.length) continue;
        taken++;
        this.options.log.info(
          { game: game.id, channel: channelKey(game.channel), question: game.current + 1, step: event.type },
          'quiz taken over: its timer was overdue',
        );
        void done;
      } catch (err) {
        this.options.log.error({ err, game: game.id }, 'could not take over an overdue quiz');
      }
    }
    return taken;
  }

  /**
   * Stops timers. Games on `finishPlatforms` (the terminal, whose input has ended) are ended and
   * saved; others stay stored and resume on the next start.
   */
  async shutdown(finishPlatforms: readonly Platform[] = []): Promise<void> {
    for (const session of await this.options.games.all()) {
      if (!finishPlatforms.includes(session.channel.platform)) continue;
      const { done } = await this.dispatch(session.channel, session.id, {
        type: 'stop',
        at: this.options.now().getTime(),
      });
      await done;
    }
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.clearTimers(id);
    this.live.clear();
  }
}

/**
 * The name of a step that moves a game on, stored once per game when processes share the store:
 * each question is asked once and revealed once; a resume after a restart is its own step.
 */
export function stepKey(event: QuizEvent, effects: readonly QuizEffect[]): string | undefined {
  if (event.type === 'resume') return `resume:${event.at}`;
  for (const effect of effects) {
    if (effect.type === 'reveal') return `reveal:${effect.round}`;
    if (effect.type === 'ask') return `ask:${effect.round}`;
  }
  return undefined;
}

/** A short marker for one showing of a question (a Discord nonce is at most 25 characters). */
export function questionMarker(session: QuizSession, round: number): string {
  const shown = session.rounds[round]?.shownAt ?? '';
  return `q${createHash('sha256').update(`${session.id}|${round}|${shown}`).digest('base64url').slice(0, 20)}`;
}

export const DECK_LINE =
  'This question goes into your review deck when the answer is shown (`/review start`).';

const REFUSALS = {
  already: 'You have already answered this question: only your first answer counts.',
  closed: 'Time is up for this question. Get ready for the next one!',
  stale: 'That question is over. Answer the current one!',
  invalid: 'That is not one of the options.',
} as const;
