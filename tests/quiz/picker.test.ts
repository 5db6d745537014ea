import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { questionsOption } from '../../commands/shared-options.ts';
import type { Actor } from '../../src/core/command.ts';
import { QUESTIONS, shortfall } from '../../src/quiz/picker.ts';
import { memoryStorage } from '../../src/store/doc/index.ts';
import { fixtureLibrary, fixtureTopic } from '../helpers/library.ts';
import { quizContent, recordingQuizApp } from '../helpers/quiz-content.ts';

const channel = { platform: 'discord' as const, workspaceId: 'g1', channelId: 'c1' };
const host: Actor = {
  user: { platform: 'discord', id: 'h', displayName: 'Host' },
  channel,
  isAdmin: false,
  isHost: true,
  inServer: true,
};

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-10T19:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Options written as `key:value` between backticks in a message. */
function suggested(message: string): string[] {
  return [...message.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

describe('too few questions', () => {
  it('uses the same bounds as the questions option', () => {
    expect(questionsOption).toMatchObject({ type: 'integer', min: QUESTIONS.min, max: QUESTIONS.max });
  });

  it('offers the count that exists when it makes a game', () => {
    // 12 per difficulty: 2 of each on beta, 10 on alpha.
    const content = quizContent();
    expect(shortfall(content, { topic: 'beta', questions: 7 })).toBe(
      'There are only 6 questions on Beta, so a quiz can have 3 to 6 of them: try `questions:6`.',
    );
    expect(shortfall(content, { topic: 'beta', questions: 6 })).toBeUndefined();
  });

  it('offers another difficulty or none, never a count below the least, when too few for a game', () => {
    const content = quizContent();
    expect(shortfall(content, { topic: 'beta', difficulty: 'hard', questions: 3 })).toBe(
      'There are only 2 questions on Beta at hard difficulty, and a quiz needs at least 3. Leave out the difficulty (6 questions).',
    );
    expect(shortfall(content, { topic: 'beta', difficulty: 'hard', questions: 10 })).toBe(
      'There are only 2 questions on Beta at hard difficulty, and a quiz needs at least 3. Leave out the difficulty (6 questions, with `questions:6`).',
    );
  });

  it('offers the nearest difficulty that has enough', () => {
    // Alpha with 10 easy, 6 medium and 1 hard question: medium is nearest to hard.
    const content = fixtureLibrary({
      topics: [fixtureTopic('alpha', 'Alpha')],
      questions: quizContent()
        .questions({ topic: 'alpha' })
        .filter((q) => !/^q-(medium-(9|1\d)|hard-([4-9]|1\d))$/.test(q.id)),
    });
    expect(shortfall(content, { topic: 'alpha', difficulty: 'hard', questions: 8 })).toBe(
      'There is only 1 question on Alpha at hard difficulty, and a quiz needs at least 3. Try `difficulty:medium questions:6` (6 questions), or leave out the difficulty (17 questions).',
    );
  });

  it('never suggests a value that /quiz start or /quiz schedule refuses', async () => {
    const a = recordingQuizApp({ seed: 4, quizPauseMs: 1000 });
    const run = (text: string) =>
      a.router.handle({ ...host, command: 'quiz', input: { kind: 'text', text } });
    for (const [command, base] of [
      ['start', 'start'],
      ['schedule', 'schedule weekday:friday time:20:00 timezone:UTC'],
    ] as const) {
      for (const ask of ['topic:beta questions:7', 'topic:beta difficulty:hard questions:10']) {
        const refused = await run(`${base} ${ask}`);
        expect(refused.ephemeral, `${command} ${ask}`).toBe(true);
        const offers = suggested(refused.text ?? '');
        const withoutDifficulty = /Leave out the difficulty/.test(refused.text ?? '');
        expect(offers.length + (withoutDifficulty ? 1 : 0), refused.text).toBeGreaterThan(0);
        let retry = `${base} ${ask}`;
        if (withoutDifficulty) retry = retry.replace(/ difficulty:\w+/, '');
        for (const offer of offers) {
          for (const pair of offer.split(' ')) {
            const [key] = pair.split(':');
            retry = retry.replace(new RegExp(` ${key}:\\S+`), '').concat(` ${pair}`);
          }
        }
        const accepted = await run(retry);
        expect(accepted.title, `${retry}: ${accepted.text}`).toBe(
          command === 'start' ? 'Quiz time!' : 'Quiz night scheduled',
        );
        if (command === 'start') await run('stop');
        else await run(`unschedule id:${/\*\*(\w+)\*\*/.exec(accepted.text ?? '')?.[1]}`);
      }
    }
  });

  it('plays what exists on a quiz night set up when the library held more', async () => {
    const storage = memoryStorage();
    const a = recordingQuizApp({ storage, seed: 4, quizPauseMs: 1000 });
    await storage.nights.add({
      id: 'beta',
      channel,
      weekday: 2,
      time: '19:05',
      timezone: 'UTC',
      topic: 'beta',
      questions: 10,
      seconds: 20,
      createdAt: '2026-03-01T00:00:00Z',
      createdBy: { id: 'h', displayName: 'Host' },
      runs: {},
    });
    vi.setSystemTime(new Date('2026-03-10T19:05:00Z'));
    await a.clock.tick();
    await vi.advanceTimersByTimeAsync(0);
    expect(a.poster.titles()).toEqual(['Quiz night!', 'Question 1 of 6']);
  });
});
