import type { ContentIndex } from '../../src/content/index.ts';
import type { Question } from '../../src/content/schema.ts';
import { fixtureLibrary, fixtureTopic } from './library.ts';

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
