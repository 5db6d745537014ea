import { z } from 'zod';

/** One zod schema per content collection; types are inferred from them. */

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters, digits and single hyphens');

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const sourceSchema = z.strictObject({
  title: text(300),
  url: z.url({ protocol: /^https?$/ }).optional(),
  author: text(200).optional(),
  year: z.number().int().min(1900).max(2100).optional(),
  pages: z.union([z.string(), z.number()]).transform(String).optional(),
});

const sources = z.array(sourceSchema).min(1, 'needs at least one source');

const monthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'must be "MM-DD" (quoted in YAML)')
  .refine(isValidMonthDay, 'is not a real day of the year');

export const topicSchema = z.strictObject({
  id,
  title: text(120),
  aliases: z.array(text(80)).default([]),
  summary: text(900),
  fullSummary: text(6000),
  related: z.array(id).default([]),
  sources,
  note: text(1000).optional(),
});

export const eventSchema = z.strictObject({
  id: z.string().regex(/^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be "YYYY-MM-DD-slug"'),
  monthDay,
  year: z.number().int().min(1900).max(2030),
  text: text(300),
  topics: z.array(id).min(1, 'needs at least one topic'),
  sources,
  note: text(1000).optional(),
});

export const factSchema = z.strictObject({
  id,
  kind: z.enum(['fun', 'key']),
  text: text(280),
  topics: z.array(id).min(1, 'needs at least one topic'),
  sources,
  note: text(1000).optional(),
});

const option = text(120);

export const questionSchema = z.strictObject({
  id,
  question: text(200),
  correct: option,
  wrong: z.array(option).length(3, 'needs exactly three wrong answers'),
  explanation: text(400),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  topics: z.array(id).min(1, 'needs at least one topic'),
  eventId: z.string().optional(),
  sources,
  note: text(1000).optional(),
});

export const readingSchema = z.strictObject({
  id,
  title: text(200),
  author: text(200),
  year: z.number().int().min(1800).max(2100),
  level: z.enum(['introductory', 'advanced']),
  note: text(300),
  sources: z.array(sourceSchema).optional(),
});

export type Source = z.infer<typeof sourceSchema>;
export type Topic = z.infer<typeof topicSchema>;
export type DatedEvent = z.infer<typeof eventSchema>;
export type Fact = z.infer<typeof factSchema>;
export type Question = z.infer<typeof questionSchema>;
export type ReadingItem = z.infer<typeof readingSchema>;
export type Difficulty = Question['difficulty'];

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidMonthDay(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const month = Number(match[1]);
  const day = Number(match[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}
