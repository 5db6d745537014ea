import { commands } from '../../commands/index.ts';
import { buildApp } from '../../src/app.ts';
import type { ContentIndex } from '../../src/content/index.ts';
import type { Question } from '../../src/content/schema.ts';
import { silentLogger } from '../../src/core/log.ts';
import { seededRandom } from '../../src/core/random.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import { fixtureLibrary, fixtureTopic } from './library.ts';
import { RecordingPoster } from './poster.ts';

const source = [{ title: 'Fixture Encyclopedia' }];

/** A library with `count` questions per difficulty on topic "alpha" (and a few on "beta"). */
export function quizContent(count = 12): ContentIndex {
  const questions: Question[] = [];
  for (const difficulty of ['easy', 'medium', 'hard'] as const) {
    for (let i = 1; i <= count; i++) {
      questions.push({
        id: `q-${difficulty}-${i}`,
        question: `${difficulty} question ${i}?`,
        correct: `right ${i}`,
        wrong: [`wrong a${i}`, `wrong b${i}`, `wrong c${i}`],
        explanation: `Because ${i}.`,
        difficulty,
        topics: [i <= 2 ? 'beta' : 'alpha'],
        sources: source,
      });
    }
  }
  return fixtureLibrary({
    topics: [fixtureTopic('alpha', 'Alpha', 'A.'), fixtureTopic('beta', 'Beta', 'B.')],
    questions,
  });
}

/**
 * The whole app over `quizContent()` with a real-time clock (fake timers move it), an in-memory
 * store unless given, and one RecordingPoster standing in for Discord in the quiz, the daily
 * scheduler and quiz nights.
 */
export function recordingQuizApp(options: { storage?: DocStorage; seed: number; quizPauseMs: number }) {
  const storage = options.storage ?? memoryStorage();
  const built = buildApp({
    content: quizContent(),
    storage,
    log: silentLogger,
    now: () => new Date(),
    random: seededRandom(options.seed),
    commands,
    quizPauseMs: options.quizPauseMs,
  });
  const poster = new RecordingPoster();
  built.deps.posters.register('discord', poster);
  return { ...built, storage, poster };
}
