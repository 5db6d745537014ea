import { ContentIndex, type Library } from '../../src/content/index.ts';
import type { DatedEvent, Source, Topic } from '../../src/content/schema.ts';

/** Small hand-made libraries for tests that need exact control over dates and counts. */

export const SOURCE: Source[] = [{ title: 'Fixture Encyclopedia', url: 'https://example.org/e' }];

export function fixtureTopic(id: string, title: string, summary = `${title} summary.`): Topic {
  return { id, title, aliases: [], summary, fullSummary: summary, related: [], sources: SOURCE };
}

/** An event whose date comes from its id ("YYYY-MM-DD-slug"). */
export function fixtureEvent(id: string, text: string, topic = 'alpha'): DatedEvent {
  return {
    id,
    monthDay: id.slice(5, 10),
    year: Number(id.slice(0, 4)),
    text,
    topics: [topic],
    sources: SOURCE,
  };
}

export function fixtureLibrary(parts: Partial<Library>): ContentIndex {
  return new ContentIndex({ topics: [], events: [], facts: [], questions: [], reading: [], ...parts });
}
