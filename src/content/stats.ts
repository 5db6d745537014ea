import type { Library } from './index.ts';

export interface ContentStats {
  topics: number;
  events: number;
  facts: { fun: number; key: number };
  questions: { total: number; easy: number; medium: number; hard: number; withEvent: number };
  reading: number;
  daysCovered: number;
  /** Longest run of consecutive calendar days (of 366, wrapping at the year's end) without an event. */
  longestGap: { days: number; from?: string; to?: string };
  questionsByTopic: Record<string, { easy: number; medium: number; hard: number }>;
  factsByTopic: Record<string, { fun: number; key: number }>;
}

/** Every "MM-DD" of a leap year, in order. */
export function allMonthDays(): string[] {
  const days: string[] = [];
  const lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  lengths.forEach((n, m) => {
    for (let d = 1; d <= n; d++) days.push(`${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  });
  return days;
}

export function contentStats(lib: Library): ContentStats {
  const covered = new Set(lib.events.map((e) => e.monthDay));
  const days = allMonthDays();
  let longestGap: ContentStats['longestGap'] = { days: 0 };
  if (covered.size === 0) longestGap = { days: days.length };
  else {
    // Walk twice around the year so a gap across 31 December counts whole.
    let run = 0;
    let start = 0;
    for (let i = 0; i < days.length * 2; i++) {
      const day = days[i % days.length] as string;
      if (covered.has(day)) run = 0;
      else {
        if (run === 0) start = i;
        run++;
        if (run > longestGap.days && run <= days.length)
          longestGap = { days: run, from: days[start % days.length], to: day };
      }
    }
  }
  const questionsByTopic: ContentStats['questionsByTopic'] = {};
  for (const t of lib.topics) questionsByTopic[t.id] = { easy: 0, medium: 0, hard: 0 };
  for (const q of lib.questions)
    for (const t of q.topics) {
      const row = questionsByTopic[t] ?? { easy: 0, medium: 0, hard: 0 };
      row[q.difficulty]++;
      questionsByTopic[t] = row;
    }
  const factsByTopic: ContentStats['factsByTopic'] = {};
  for (const t of lib.topics) factsByTopic[t.id] = { fun: 0, key: 0 };
  for (const f of lib.facts)
    for (const t of f.topics) {
      const row = factsByTopic[t] ?? { fun: 0, key: 0 };
      row[f.kind]++;
      factsByTopic[t] = row;
    }
  const count = (d: string) => lib.questions.filter((q) => q.difficulty === d).length;
  return {
    topics: lib.topics.length,
    events: lib.events.length,
    facts: {
      fun: lib.facts.filter((f) => f.kind === 'fun').length,
      key: lib.facts.filter((f) => f.kind === 'key').length,
    },
    questions: {
      total: lib.questions.length,
      easy: count('easy'),
      medium: count('medium'),
      hard: count('hard'),
      withEvent: lib.questions.filter((q) => q.eventId).length,
    },
    reading: lib.reading.length,
    daysCovered: covered.size,
    longestGap,
    questionsByTopic,
    factsByTopic,
  };
}

export function formatStats(s: ContentStats): string {
  const lines = [
    `topics:     ${s.topics}`,
    `events:     ${s.events} on ${s.daysCovered} distinct days; longest run without events: ${s.longestGap.days} days${
      s.longestGap.from ? ` (${s.longestGap.from} to ${s.longestGap.to})` : ''
    }`,
    `facts:      ${s.facts.fun + s.facts.key} (${s.facts.fun} fun, ${s.facts.key} key)`,
    `questions:  ${s.questions.total} (easy ${s.questions.easy}, medium ${s.questions.medium}, hard ${s.questions.hard}; ${s.questions.withEvent} tied to an event)`,
    `reading:    ${s.reading}`,
    '',
    'topic                          questions e/m/h   facts fun/key',
  ];
  for (const [topic, q] of Object.entries(s.questionsByTopic)) {
    const f = s.factsByTopic[topic] ?? { fun: 0, key: 0 };
    lines.push(
      `${topic.padEnd(30)} ${`${q.easy}/${q.medium}/${q.hard}`.padStart(13)}   ${`${f.fun}/${f.key}`.padStart(13)}`,
    );
  }
  return lines.join('\n');
}
