import { type ChannelRef, channelKey } from '../../core/platform.ts';
import type { GamesRepo, WorkspaceRef } from '../ports.ts';
import type { QuizAnswer, QuizSession } from '../schema.ts';
import type { KeyedDoc } from './doc.ts';
import { forgetInGame, gamesDataOf, gamesWith } from './personal.ts';
import type { FeatureDocs } from './shapes.ts';

export class DocGames implements GamesRepo {
  /** Every change is scoped to its channel's game, so on files it writes that game's file alone. */
  constructor(private readonly doc: KeyedDoc<FeatureDocs['games']>) {}

  async get(channel: ChannelRef): Promise<QuizSession | undefined> {
    const found = this.doc.read().sessions[channelKey(channel)];
    return found && copySession(found);
  }

  /** In memory every answer is at hand: the whole game. */
  getForAnswer(channel: ChannelRef): Promise<QuizSession | undefined> {
    return this.get(channel);
  }

  async everyoneAnswered(channel: ChannelRef, gameId: string, round: number): Promise<boolean> {
    const stored = this.doc.read().sessions[channelKey(channel)];
    const answers = stored?.id === gameId ? stored.rounds[round]?.answers : undefined;
    if (!stored || !answers) return false;
    const earlier = stored.rounds.slice(0, round).flatMap((r) => Object.keys(r.answers));
    return earlier.length > 0 && earlier.every((id) => answers[id]);
  }

  async all(): Promise<QuizSession[]> {
    return Object.values(this.doc.read().sessions).map(copySession);
  }

  create(session: QuizSession): Promise<boolean> {
    const key = channelKey(session.channel);
    const copy = structuredClone(session);
    return this.doc.updateKey(key, (data) => {
      if (data.sessions[key]) return false;
      data.sessions[key] = copy;
      return true;
    });
  }

  save(session: QuizSession): Promise<boolean> {
    const key = channelKey(session.channel);
    const next = copySession(session);
    return this.doc.updateKey(key, (data) => {
      const stored = data.sessions[key];
      if (!stored || stored.id !== session.id) return false;
      next.rounds.forEach((round, i) => {
        const before = stored.rounds[i];
        if (!before) return;
        // Answers recorded meanwhile stay, and a first answer is never replaced.
        round.answers = { ...round.answers, ...before.answers };
        round.messageId ??= before.messageId;
      });
      data.sessions[key] = next;
      return true;
    });
  }

  recordAnswer(channel: ChannelRef, gameId: string, round: number, answer: QuizAnswer): Promise<boolean> {
    const key = channelKey(channel);
    const copy = { ...answer };
    return this.doc.updateKey(key, (data) => {
      const stored = data.sessions[key];
      const target = stored?.id === gameId ? stored.rounds[round] : undefined;
      if (!stored || !target || target.answers[answer.userId]) return false;
      target.answers[answer.userId] = copy;
      if (copy.at > stored.updatedAt) stored.updatedAt = copy.at;
      return true;
    });
  }

  setMessageId(channel: ChannelRef, gameId: string, round: number, messageId: string): Promise<void> {
    const key = channelKey(channel);
    return this.doc.updateKey(key, (data) => {
      const stored = data.sessions[key];
      const target = stored?.id === gameId ? stored.rounds[round] : undefined;
      if (target) target.messageId = messageId;
    });
  }

  remove(channel: ChannelRef, gameId: string): Promise<boolean> {
    const key = channelKey(channel);
    return this.doc.updateKey(key, (data) => {
      if (data.sessions[key]?.id !== gameId) return false;
      delete data.sessions[key];
      return true;
    });
  }

  async learnerData(ws: WorkspaceRef, userId: string): Promise<Record<string, unknown>> {
    return gamesDataOf(this.doc.read(), ws, userId);
  }

  /** One unscoped change: every running game of the workspace that held the person is rewritten. */
  forgetLearner(ws: WorkspaceRef, userId: string): Promise<boolean> {
    if (gamesWith(this.doc.read(), ws, userId).length === 0) return Promise.resolve(false);
    return this.doc.update((data) => {
      let changed = false;
      for (const key of gamesWith(data, ws, userId)) changed = forgetInGame(data, key, userId) || changed;
      return changed;
    });
  }
}

/** A copy deep enough that no caller can change what is stored (answers themselves are never changed). */
function copySession(s: QuizSession): QuizSession {
  return {
    ...s,
    channel: { ...s.channel },
    startedBy: { ...s.startedBy },
    questionIds: [...s.questionIds],
    rounds: s.rounds.map((r) => ({ ...r, order: [...r.order], answers: { ...r.answers } })),
    streaks: { ...s.streaks },
  };
}
