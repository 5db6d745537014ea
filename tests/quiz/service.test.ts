import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/core/command.ts';
import type { Reply } from '../../src/core/reply.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { RecordingPoster } from '../helpers/poster.ts';
import { recordingQuizApp } from '../helpers/quiz-content.ts';

const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
function person(id: string, host = false): Actor {
  return {
    user: { platform: 'discord', id, displayName: id.toUpperCase() },
    channel,
    isAdmin: false,
    isHost: host,
    inServer: true,
  };
}
const ann = person('ann');
const bob = person('bob');
const cy = person('cy');
const teacher = person('teacher', true);

function app(store = memoryStorage()) {
  const built = recordingQuizApp({ storage: store, seed: 3, quizPauseMs: 2000 });
  const { poster } = built;
  const run = (who: Actor, text: string) =>
    built.router.handle({ ...who, command: 'quiz', input: { kind: 'text', text } });
  /** Clicks the option of the latest question that is right (or wrong). */
  const click = async (who: Actor, right: boolean) => {
    const q = [...poster.posts].reverse().find((p) => p.reply.title?.startsWith('Question'));
    if (!q) throw new Error('no question posted');
    const options = (q.reply.text ?? '').split('\n').filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
    const rightIndex = options.findIndex((l) => l.includes('right'));
    const index = right ? rightIndex : (rightIndex + 1) % 4;
    const id = q.reply.actions?.[index]?.id as string;
    return (await built.router.handleAction({ ...who, actionId: id })).reply;
  };
  return { ...built, run, click };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('quiz service', () => {
  it('plays a three-player race game to the end and saves results and leaderboards', async () => {
    const a = app();
    const started = await a.run(ann, 'start questions:3 seconds:10');
    expect(started.title).toBe('Quiz time!');
    expect(started.text).toContain('**3 questions**');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.poster.titles()).toEqual(['Question 1 of 3']);
    const q1 = a.poster.last();
    expect(q1.actions?.map((x) => x.label)).toEqual(['A', 'B', 'C', 'D']);
    expect(q1.countdown?.endsAt).toBe(Date.parse('2026-03-10T19:00:10Z'));

    await vi.advanceTimersByTimeAsync(2000);
    expect((await a.click(ann, true)).text).toMatch(
      /^Locked in: \*\*[A-D]\*\*\. This question goes into your review deck/,
    );
    expect((await a.click(ann, false)).text).toBe(
      'You have already answered this question: only your first answer counts.',
    );
    await vi.advanceTimersByTimeAsync(3000);
    await a.click(bob, false);
    await a.click(cy, true);
    // Live counts are edited in place at most once a second.
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.poster.edits.at(-1)?.reply.fields?.[0]?.value).toBe('3 answered');

    await vi.advanceTimersByTimeAsync(5000); // time is up at 10 s
    expect(a.poster.edits.at(-1)?.reply.fields?.[0]?.value).toBe('3 answered. Time is up.');
    expect(a.poster.titles().slice(1)).toEqual([expect.stringMatching(/^Answer: [A-D]\. right \d+$/)]);
    const reveal = a.poster.last();
    expect(reveal.text).toMatch(/\*\*Right:\*\* ANN \(\+900\), CY \(\+750\)/);
    expect(reveal.text).toMatch(/\*\*Not quite:\*\* BOB \([A-D]\)/);
    expect(reveal.sources).toEqual([{ label: 'Fixture Encyclopedia' }]);
    expect(a.poster.edits.at(-1)?.reply.actions).toBeUndefined();
    expect((await a.click(person('dan'), true)).text).toBe(
      'Time is up for this question. Get ready for the next one!',
    );

    await vi.advanceTimersByTimeAsync(2000);
    expect(a.poster.titles().at(-1)).toBe('Question 2 of 3');
    await a.click(ann, true);
    await a.click(bob, true);
    await vi.advanceTimersByTimeAsync(12_000);
    await a.click(ann, true);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(a.poster.titles().at(-1)).toBe('Final scores');
    const final = a.poster.last();
    expect(final.text?.split('\n')).toEqual([
      expect.stringMatching(/^1\. \*\*ANN\*\*: 3,100 points \(3\/3 right\)$/),
      expect.stringMatching(/^2\. \*\*BOB\*\*: 950 points \(1\/3 right\)$/),
      expect.stringMatching(/^3\. \*\*CY\*\*: 750 points \(1\/3 right\)$/),
    ]);

    const data = a.storage.snapshot();
    expect(data.games.sessions).toEqual({});
    const [result] = Object.values(data.results.results);
    expect(result).toMatchObject({ practice: false, stopped: false, mode: 'race' });
    expect(result?.rounds.flatMap((r) => r.answers)).toHaveLength(6);
    expect(result?.rounds[0]?.answers[0]).toMatchObject({ userId: 'ann', ms: 2000, correct: true });

    const board = await a.run(bob, 'leaderboard');
    expect(board.title).toBe('Leaderboard: this month (2026-03)');
    expect(board.text).toContain('1. **ANN**');
    expect((await a.run(bob, 'leaderboard all')).text).toContain(
      '2. **BOB**: 950 points (1/3 right, 1 game)',
    );
    const me = await a.run(cy, 'me');
    expect(me.ephemeral).toBe(true);
    expect(me.text).toContain('Games: 1 · practice games: 0');
    expect(me.text).toContain('Recent answers: 1/1 right (100%)');
    expect((await a.click(ann, true)).text).toBe('That quiz has ended. Start a new one with `/quiz start`.');
  });

  it('counts every question shown as asked, answered or not, on the scoreboard and the leaderboard alike', async () => {
    const a = app();
    await a.run(ann, 'start questions:3 seconds:10');
    await vi.advanceTimersByTimeAsync(0);
    await a.click(ann, true);
    await a.click(bob, false);
    await vi.advanceTimersByTimeAsync(12_000);
    await a.click(ann, false);
    await a.click(bob, false);
    await vi.advanceTimersByTimeAsync(12_000); // question 3: nobody answers
    await vi.advanceTimersByTimeAsync(12_000);
    expect(a.poster.titles().at(-1)).toBe('Final scores');
    expect(a.poster.last().text?.split('\n')).toEqual([
      '1. **ANN**: 1,000 points (1/3 right)',
      '2. **BOB**: 0 points (0/3 right)',
    ]);
    const board = (await a.run(ann, 'leaderboard')).text ?? '';
    expect(board).toContain('1. **ANN**: 1,000 points (1/3 right, 1 game)');
    expect(board).toContain('2. **BOB**: 0 points (0/3 right, 1 game)');
  });

  it('counts the question shown when a game is stopped as asked', async () => {
    const a = app();
    await a.run(ann, 'start questions:5 seconds:10');
    await vi.advanceTimersByTimeAsync(0);
    await a.click(ann, true);
    await a.click(bob, true);
    await vi.advanceTimersByTimeAsync(12_000); // question 2 is shown, then the game is stopped
    await a.run(ann, 'stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.poster.titles().at(-1)).toBe('Quiz stopped after 2 questions');
    expect(a.poster.last().text).toMatch(/\(1\/2 right\)/);
    expect((await a.run(ann, 'leaderboard')).text).toMatch(/\(1\/2 right, 1 game\)/);
  });

  it('treats a one-player game as practice: in the player record, not the leaderboard', async () => {
    const a = app();
    await a.run(ann, 'start questions:3 seconds:5');
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(0);
      await a.click(ann, true);
      await vi.advanceTimersByTimeAsync(7000);
    }
    expect(a.poster.last().text).toContain('A one-player game is practice');
    expect(a.storage.docs.results.read().scores).toEqual({});
    expect((await a.run(ann, 'me')).text).toContain('Games: 0 · practice games: 1');
    expect((await a.run(ann, 'leaderboard')).text).toContain('No quiz games with two or more players yet');
  });

  it('refuses bad starts with clear private answers', async () => {
    const a = app();
    expect((await a.run(ann, 'start questions:2')).text).toContain(
      '`questions` must be from 3 to 30; you gave 2',
    );
    expect((await a.run(ann, 'start seconds:500')).text).toContain('`seconds` must be from 5 to 120');
    expect((await a.run(ann, 'start topic:beta questions:7')).text).toBe(
      'There are only 6 questions on Beta, so a quiz can have 3 to 6 of them: try `questions:6`.',
    );
    expect((await a.run(ann, 'start topic:zeta')).text).toContain('I have no topic called "zeta"');
    expect((await a.run(ann, 'start mode:speedy')).text).toContain('`mode` must be one of: race, learner');
    expect((await a.run(ann, 'stop')).text).toBe('There is no quiz running in this channel to stop.');
    expect((await a.run({ ...ann, inServer: false }, 'start')).text).toBe(
      'Quizzes run in a server channel, not in direct messages.',
    );
    a.poster.problem = 'I cannot post in this channel: give me Send Messages.';
    expect((await a.run(ann, 'start')).text).toBe('I cannot post in this channel: give me Send Messages.');
    a.poster.problem = undefined;
    await a.run(ann, 'start');
    const second = await a.run(bob, 'start');
    expect(second.ephemeral).toBe(true);
    expect(second.text).toContain(
      'A quiz is already running in this channel (question 1 of 10, started by ANN)',
    );
  });

  it('closes a learner question early once everyone has answered, and says so', async () => {
    const a = app();
    await a.run(ann, 'start questions:3 seconds:30 mode:learner');
    await vi.advanceTimersByTimeAsync(0);
    await a.click(ann, true);
    await a.click(bob, true);
    await vi.advanceTimersByTimeAsync(33_000);
    expect(a.poster.titles().at(-1)).toBe('Question 2 of 3');
    await a.click(ann, true);
    await a.click(bob, false);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.poster.titles().at(-1)).toMatch(/^Answer:/);
    expect(a.poster.edits.at(-1)?.reply.fields?.[0]?.value).toBe('2 answered. Everyone has answered.');
  });

  it('lets only the starter or a host stop or skip', async () => {
    const a = app();
    await a.run(ann, 'start questions:5');
    await vi.advanceTimersByTimeAsync(0);
    expect((await a.run(bob, 'stop')).text).toBe('Only ANN, who started this quiz, or a host can stop it.');
    expect((await a.run(bob, 'skip')).text).toBe('Only ANN, who started this quiz, or a host can skip it.');
    expect((await a.run(teacher, 'skip')).text).toBe('Skipping: here is the answer.');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.poster.titles().at(-1)).toMatch(/^Answer:/);
    // The closed question says it was skipped, not that time ran out.
    expect(a.poster.edits.at(-1)?.reply.fields?.[0]?.value).toBe('No answers yet. Skipped.');
    await a.click(bob, true).catch(() => undefined);
    expect((await a.run(ann, 'stop')).text).toBe('Quiz stopped by ANN. Scores so far are saved.');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.poster.titles().at(-1)).toBe('Quiz stopped after 1 question');
    expect(Object.values(a.storage.docs.results.read().results)[0]).toMatchObject({ stopped: true });
  });

  it('survives bursts of double clicks without losing or doubling answers', async () => {
    const a = app();
    await a.run(ann, 'start questions:3 seconds:20');
    await vi.advanceTimersByTimeAsync(0);
    const people = Array.from({ length: 30 }, (_, i) => person(`p${i}`));
    const replies: Reply[] = await Promise.all(
      people.flatMap((p) => [a.click(p, true), a.click(p, false), a.click(p, true)]),
    );
    expect(replies.filter((r) => r.text?.startsWith('Locked in'))).toHaveLength(30);
    expect(
      Object.keys(a.storage.docs.games.read().sessions[`discord:g1:c1`]?.rounds[0]?.answers ?? {}),
    ).toHaveLength(30);
  });

  it('resumes after a restart at the current question, keeping earlier answers', async () => {
    const store = memoryStorage();
    const first = app(store);
    await first.run(ann, 'start questions:3 seconds:10');
    await vi.advanceTimersByTimeAsync(0);
    await first.click(ann, true);
    await first.click(bob, false);
    await vi.advanceTimersByTimeAsync(12_000); // reveal + next question
    await first.click(bob, true);
    await first.deps.quiz.shutdown(); // the process goes away; the game stays in the store
    expect(Object.keys(store.docs.games.read().sessions)).toHaveLength(1);

    vi.setSystemTime(new Date('2026-03-10T19:05:00Z'));
    const second = app(store);
    expect(await second.deps.quiz.resume()).toBe(1);
    expect(second.poster.titles()).toEqual(['Question 2 of 3']);
    expect(second.poster.last().countdown?.endsAt).toBe(Date.parse('2026-03-10T19:05:10Z'));
    expect(second.poster.last().fields?.[0]?.value).toBe('1 answered');
    expect((await second.click(bob, true)).text).toBe(
      'You have already answered this question: only your first answer counts.',
    );
    await second.click(ann, true);
    await vi.advanceTimersByTimeAsync(12_000);
    await second.click(ann, true);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(second.poster.titles().at(-1)).toBe('Final scores');
    const result = Object.values(store.docs.results.read().results)[0];
    expect(result?.rounds.map((r) => r.answers.length)).toEqual([2, 2, 1]);
    expect(result?.players.map((p) => [p.displayName, p.correct])).toEqual([
      ['ANN', 3],
      ['BOB', 1],
    ]);
  });

  it('ends and saves terminal games when the input ends', async () => {
    const a = app();
    const term = new RecordingPoster();
    a.deps.posters.register('console', term);
    const local: Actor = {
      ...ann,
      channel: { platform: 'console', workspaceId: 'local', channelId: 'terminal' },
    };
    await a.router.handle({ ...local, command: 'quiz', input: { kind: 'text', text: 'start questions:3' } });
    await vi.advanceTimersByTimeAsync(0);
    await a.deps.quiz.shutdown(['console']);
    expect(term.titles().at(-1)).toBe('Quiz stopped after 1 question');
    expect(a.storage.docs.games.read().sessions).toEqual({});
    expect(Object.values(a.storage.docs.results.read().results)[0]).toMatchObject({ stopped: true });
  });

  it('avoids questions from the channel recent games', async () => {
    const a = app();
    for (let game = 0; game < 4; game++) {
      await a.run(ann, 'start difficulty:hard questions:3 seconds:5');
      await vi.advanceTimersByTimeAsync(25_000);
    }
    const asked = Object.values(a.storage.docs.results.read().results).flatMap((r) =>
      r.rounds.map((x) => x.questionId),
    );
    expect(asked).toHaveLength(12);
    expect(new Set(asked).size).toBe(12);
  });
});
