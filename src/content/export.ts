import type { Library } from './index.ts';

/** The export shape documented in docs/content.md: arrays of plain items, optional fields omitted when empty. */
export function exportLibrary(lib: Library): object {
  return {
    topics: lib.topics.map((t) => ({
      id: t.id,
      title: t.title,
      aliases: t.aliases,
      summary: t.summary,
      fullSummary: t.fullSummary,
      related: t.related,
      sources: t.sources,
      ...(t.note ? { note: t.note } : {}),
    })),
    events: lib.events.map((e) => ({
      id: e.id,
      monthDay: e.monthDay,
      year: e.year,
      text: e.text,
      topics: e.topics,
      sources: e.sources,
      ...(e.note ? { note: e.note } : {}),
    })),
    facts: lib.facts.map((f) => ({
      id: f.id,
      kind: f.kind,
      text: f.text,
      topics: f.topics,
      sources: f.sources,
      ...(f.note ? { note: f.note } : {}),
    })),
    questions: lib.questions.map((q) => ({
      id: q.id,
      question: q.question,
      correct: q.correct,
      wrong: q.wrong,
      explanation: q.explanation,
      difficulty: q.difficulty,
      topics: q.topics,
      ...(q.eventId ? { eventId: q.eventId } : {}),
      sources: q.sources,
      ...(q.note ? { note: q.note } : {}),
    })),
    reading: lib.reading.map((r) => ({
      id: r.id,
      title: r.title,
      author: r.author,
      year: r.year,
      level: r.level,
      note: r.note,
      ...(r.sources ? { sources: r.sources } : {}),
    })),
  };
}
