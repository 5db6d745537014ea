import { describe, expect, it } from 'vitest';
import { dailyPost } from '../../src/schedule/post.ts';
import { fixtureEvent, fixtureLibrary, fixtureTopic, SOURCE } from '../helpers/library.ts';

const content = fixtureLibrary({
  topics: [fixtureTopic('alpha', 'Alpha', 'Alpha summary.')],
  events: [
    fixtureEvent('1956-02-25-speech', 'The speech.'),
    fixtureEvent('1953-02-25-earlier', 'An earlier thing.'),
    fixtureEvent('1956-02-29-leap', 'A leap-day event.'),
  ],
  facts: [{ id: 'alpha-fun-1', kind: 'fun', text: 'A fun fact.', topics: ['alpha'], sources: SOURCE }],
  questions: [
    {
      id: 'q1',
      question: 'Q?',
      correct: 'a',
      wrong: ['b', 'c', 'd'],
      explanation: 'E.',
      difficulty: 'easy',
      topics: ['alpha'],
      eventId: '1956-02-25-speech',
      sources: SOURCE,
    },
  ],
});

describe('the daily post', () => {
  it("lists the day's events by year with sources, a fun fact and a quiz button", () => {
    const post = dailyPost(content, '2026-02-25');
    expect(post.title).toBe('On this day: 25 February');
    expect(post.text).toBe('- **1953**: An earlier thing.\n- **1956**: The speech.');
    expect(post.fields).toEqual([{ label: 'Fun fact', value: 'A fun fact.' }]);
    expect(post.sources).toEqual([{ label: 'Fixture Encyclopedia', url: 'https://example.org/e' }]);
    expect(post.actions).toEqual([{ id: 'dq:2026-02-25', label: 'Quiz me on this' }]);
    expect(dailyPost(content, '2026-02-25')).toEqual(post); // the preview is exactly the post
  });

  it('shows 29 February on 28 February in common years, labelled, and on its own day in leap years', () => {
    expect(dailyPost(content, '2027-02-28').text).toBe('- **1956** (29 February): A leap-day event.');
    expect(dailyPost(content, '2028-02-29').text).toBe('- **1956**: A leap-day event.');
    expect(dailyPost(content, '2028-02-28').title).toMatch(/^This week in history/);
  });

  it('falls back to nearby events within three days, labelled, then to a topic spotlight', () => {
    const near = dailyPost(content, '2026-02-23');
    expect(near.title).toBe('This week in history: around 23 February');
    expect(near.text).toContain('- **1953** (25 February): An earlier thing.');
    expect(near.actions).toBeUndefined();
    const far = dailyPost(content, '2026-07-01');
    expect(far.title).toBe('Topic spotlight: Alpha');
    expect(far.text).toContain('Alpha summary.');
    expect(far.actions).toEqual([{ id: 'learn:alpha', label: 'Read more' }]);
  });
});
