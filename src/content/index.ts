import { pick } from '../core/random.ts';
import { closestMatches, normalizeName } from '../core/suggest.ts';
import type { DatedEvent, Difficulty, Fact, Question, ReadingItem, Topic } from './schema.ts';

/** Everything loaded from `content/`, already validated. */
export interface Library {
  topics: Topic[];
  events: DatedEvent[];
  facts: Fact[];
  questions: Question[];
  reading: ReadingItem[];
}

export interface QuestionFilter {
  topic?: string;
  difficulty?: Difficulty;
  eventId?: string;
}

/** In-memory lookups over the library. Pure: no file access, so commands and tests share it. */
export class ContentIndex {
  private readonly byName = new Map<string, Topic>();
  private readonly topicsById = new Map<string, Topic>();
  private readonly eventsById = new Map<string, DatedEvent>();
  private readonly eventsByDay = new Map<string, DatedEvent[]>();
  private readonly factsByTopic = new Map<string, Fact[]>();
  private readonly questionsById = new Map<string, Question>();

  constructor(readonly library: Library) {
    for (const topic of library.topics) {
      this.topicsById.set(topic.id, topic);
      for (const name of [topic.id, topic.title, ...topic.aliases]) {
        const key = normalizeName(name);
        if (key && !this.byName.has(key)) this.byName.set(key, topic);
      }
    }
    for (const event of library.events) {
      this.eventsById.set(event.id, event);
      const day = this.eventsByDay.get(event.monthDay) ?? [];
      day.push(event);
      this.eventsByDay.set(event.monthDay, day);
    }
    for (const day of this.eventsByDay.values())
      day.sort((a, b) => a.year - b.year || a.id.localeCompare(b.id));
    for (const question of library.questions) this.questionsById.set(question.id, question);
    for (const fact of library.facts) {
      for (const topic of fact.topics) {
        const list = this.factsByTopic.get(topic) ?? [];
        list.push(fact);
        this.factsByTopic.set(topic, list);
      }
    }
  }

  get topics(): readonly Topic[] {
    return this.library.topics;
  }

  get reading(): readonly ReadingItem[] {
    return this.library.reading;
  }

  /** A topic by id, title or alias, ignoring case, accents and punctuation. */
  topic(name: string): Topic | undefined {
    return this.topicsById.get(name) ?? this.byName.get(normalizeName(name));
  }

  /**
   * A topic by exact name, or the only topic one of whose names starts with `name`
   * (so "hungary" finds hungary-1956).
   */
  resolveTopic(name: string): Topic | undefined {
    const exact = this.topic(name);
    if (exact) return exact;
    const query = normalizeName(name);
    if (query.length < 3) return undefined;
    const matches = this.library.topics.filter((t) =>
      [t.id, t.title, ...t.aliases].some((n) => normalizeName(n).startsWith(query)),
    );
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Topics whose names resemble `query`, best first, for "did you mean" and autocomplete. */
  similarTopics(query: string, limit = 5): Topic[] {
    if (!normalizeName(query)) return this.library.topics.slice(0, limit);
    return closestMatches(query, this.library.topics, (t) => [t.id, t.title, ...t.aliases], limit);
  }

  event(id: string): DatedEvent | undefined {
    return this.eventsById.get(id);
  }

  /** Events on a month-day ("MM-DD"), oldest first. */
  eventsOn(monthDay: string): readonly DatedEvent[] {
    return this.eventsByDay.get(monthDay) ?? [];
  }

  /** Facts about a topic (or all facts), optionally of one kind. */
  facts(topicId?: string, kind?: Fact['kind']): Fact[] {
    const list = topicId ? (this.factsByTopic.get(topicId) ?? []) : this.library.facts;
    return kind ? list.filter((f) => f.kind === kind) : [...list];
  }

  /** A random fun fact, avoiding `exclude` when another exists. */
  pickFact(random: () => number, topicId?: string, exclude?: string): Fact | undefined {
    const all = this.facts(topicId, 'fun');
    const others = all.filter((f) => f.id !== exclude);
    return pick(others.length > 0 ? others : all, random);
  }

  question(id: string): Question | undefined {
    return this.questionsById.get(id);
  }

  questions(filter: QuestionFilter = {}): Question[] {
    return this.library.questions.filter(
      (q) =>
        (!filter.topic || q.topics.includes(filter.topic)) &&
        (!filter.difficulty || q.difficulty === filter.difficulty) &&
        (!filter.eventId || q.eventId === filter.eventId),
    );
  }
}
