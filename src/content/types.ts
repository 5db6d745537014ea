export type { ContentIndex, Library, QuestionFilter } from './index.ts';
export type { DatedEvent, Difficulty, Fact, Question, ReadingItem, Source, Topic } from './schema.ts';
