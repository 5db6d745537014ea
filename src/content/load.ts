import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import matter from 'gray-matter';
import YAML from 'yaml';
import type { z } from 'zod';
import { ContentIndex, type Library } from './index.ts';
import { eventSchema, factSchema, questionSchema, readingSchema, topicSchema } from './schema.ts';
import { checkLibrary, type Located } from './validate.ts';

/** One problem in the content, naming the file, the field and the reason. */
export interface ContentProblem {
  file: string;
  field: string;
  message: string;
}

export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(
      `Content has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems
        .map((p) => `  ${p.file}: ${p.field}: ${p.message}`)
        .join('\n')}`,
    );
    this.name = 'ContentError';
  }
}

// gray-matter's default YAML engine turns dates into Date objects; use the same parser as the YAML files.
const matterOptions = { engines: { yaml: (s: string) => YAML.parse(s) as object } };

/** Loads and validates `dir`; throws ContentError listing every problem found. */
export function loadContent(dir: string): ContentIndex {
  const { library, problems } = readContent(dir);
  if (problems.length > 0) throw new ContentError(problems);
  return new ContentIndex(library);
}

/** Reads everything it can and collects problems instead of stopping at the first. */
export function readContent(dir: string): { library: Library; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const rel = (file: string) => relative(process.cwd(), file) || file;
  if (!existsSync(dir)) {
    return {
      library: { topics: [], events: [], facts: [], questions: [], reading: [] },
      problems: [{ file: rel(dir), field: '(directory)', message: 'content directory not found' }],
    };
  }

  function parseItems<S extends z.ZodType>(
    file: string,
    raw: unknown,
    schema: S,
    out: Located<z.infer<S>>[],
  ): void {
    if (!Array.isArray(raw)) {
      problems.push({ file: rel(file), field: '(file)', message: 'must be a YAML list of items' });
      return;
    }
    raw.forEach((item, i) => {
      const label = itemLabel(item, i);
      const result = schema.safeParse(item);
      if (result.success) out.push({ item: result.data, file: rel(file), label });
      else for (const issue of result.error.issues) problems.push(issueProblem(rel(file), label, issue));
    });
  }

  function readYaml(file: string): unknown {
    try {
      return YAML.parse(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
    } catch (error) {
      problems.push({ file: rel(file), field: '(syntax)', message: firstLine(error) });
      return undefined;
    }
  }

  const topics: Located<z.infer<typeof topicSchema>>[] = [];
  for (const file of listFiles(join(dir, 'topics'), '.md')) {
    let parsed: matter.GrayMatterFile<string>;
    try {
      parsed = matter(readFileSync(file, 'utf8'), matterOptions);
    } catch (error) {
      problems.push({ file: rel(file), field: '(frontmatter)', message: firstLine(error) });
      continue;
    }
    const data = { ...parsed.data, fullSummary: parsed.content.trim() };
    const expected = `${file.split('/').pop()?.replace(/\.md$/, '')}`;
    if (typeof parsed.data.id === 'string' && parsed.data.id !== expected) {
      problems.push({ file: rel(file), field: 'id', message: `must match the file name ("${expected}")` });
    }
    parseItems(file, [data], topicSchema, topics);
  }

  const events: Located<z.infer<typeof eventSchema>>[] = [];
  const facts: Located<z.infer<typeof factSchema>>[] = [];
  const questions: Located<z.infer<typeof questionSchema>>[] = [];
  const reading: Located<z.infer<typeof readingSchema>>[] = [];
  for (const file of listFiles(join(dir, 'events'), '.yaml'))
    parseItems(file, readYaml(file), eventSchema, events);
  for (const file of listFiles(join(dir, 'facts'), '.yaml'))
    parseItems(file, readYaml(file), factSchema, facts);
  for (const file of listFiles(join(dir, 'questions'), '.yaml'))
    parseItems(file, readYaml(file), questionSchema, questions);
  const readingFile = join(dir, 'reading.yaml');
  if (existsSync(readingFile)) parseItems(readingFile, readYaml(readingFile), readingSchema, reading);

  problems.push(...checkLibrary({ topics, events, facts, questions, reading }));
  const library: Library = {
    topics: topics.map((t) => t.item),
    events: events.map((e) => e.item),
    facts: facts.map((f) => f.item),
    questions: questions.map((q) => q.item),
    reading: reading.map((r) => r.item),
  };
  return { library, problems };
}

function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, ext));
    else if (entry.name.endsWith(ext) || (ext === '.yaml' && entry.name.endsWith('.yml'))) out.push(path);
  }
  return out;
}

function itemLabel(item: unknown, index: number): string {
  const id = item && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : undefined;
  return typeof id === 'string' ? `item ${index + 1} (${id})` : `item ${index + 1}`;
}

function issueProblem(file: string, label: string, issue: z.core.$ZodIssue): ContentProblem {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const field = `${label} ${path.replace(/^\./, '') || '(item)'}`;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field(s): ${issue.keys.join(', ')}`;
  else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
  return { file, field, message };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
