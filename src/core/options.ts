import type { Command, OptionSpec, OptionValue, RawOptionValue, Subcommand } from './command.ts';
import type { Token } from './parse.ts';
import { type Parsed, parseMention, parseMonthDay, parseTime, parseTimeZone } from './values.ts';

const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Validates and converts one option value; integers, choices and the checked kinds are enforced here. */
export function coerceOption(spec: OptionSpec, raw: RawOptionValue): Parsed<OptionValue> {
  const name = spec.name;
  switch (spec.type) {
    case 'string': {
      const text = typeof raw === 'object' ? raw.label : String(raw).trim();
      if (!text) return fail(`\`${name}\` must not be empty`);
      const max = spec.maxLength ?? 200;
      if (text.length > max) return fail(`\`${name}\` is too long (at most ${max} characters)`);
      return { ok: true, value: text };
    }
    case 'integer': {
      const n =
        typeof raw === 'number'
          ? raw
          : /^[+-]?\d{1,9}$/.test(String(raw).trim())
            ? Number(String(raw).trim())
            : Number.NaN;
      if (!Number.isInteger(n)) return fail(`\`${name}\` must be a whole number${range(spec)}`);
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max))
        return fail(`\`${name}\` must be${range(spec)}; you gave ${n}`);
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const text = String(raw).trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(text)) return { ok: true, value: true };
      if (['false', 'no', 'off', '0'].includes(text)) return { ok: true, value: false };
      return fail(`\`${name}\` must be yes or no`);
    }
    case 'choice': {
      const text = String(typeof raw === 'object' ? raw.label : raw)
        .trim()
        .toLowerCase();
      const found = spec.choices.find((c) => c.toLowerCase() === text);
      if (!found) return fail(`\`${name}\` must be one of: ${spec.choices.join(', ')}`);
      return { ok: true, value: found };
    }
    case 'user':
    case 'role': {
      if (typeof raw === 'object') return { ok: true, value: raw };
      const parsed = parseMention(String(raw), spec.type);
      return parsed.ok ? parsed : fail(`\`${name}\`: ${parsed.error}`);
    }
    case 'monthDay':
    case 'time':
    case 'timezone': {
      const text = String(typeof raw === 'object' ? raw.label : raw);
      const parsed =
        spec.type === 'monthDay'
          ? parseMonthDay(text)
          : spec.type === 'time'
            ? parseTime(text)
            : parseTimeZone(text);
      return parsed.ok ? parsed : fail(`\`${name}\`: ${parsed.error}`);
    }
  }
}

function range(spec: { min?: number; max?: number }): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return ` of at least ${spec.min}`;
  if (spec.max !== undefined) return ` of at most ${spec.max}`;
  return '';
}

/** Old option names still accepted, by today's name: `/settings timezone` used to take `zone:`. */
export const RENAMED_OPTIONS: Readonly<Record<string, string>> = { zone: 'timezone' };

/** The spec a typed or sent option name stands for, under its name or an old one. */
function specNamed(specs: readonly OptionSpec[], key: string): OptionSpec | undefined {
  const name = key.toLowerCase();
  return (
    specs.find((s) => s.name.toLowerCase() === name) ?? specs.find((s) => s.name === RENAMED_OPTIONS[name])
  );
}

/** Kinds people write as several words: "October 23", "23 October 1956", "9:30 pm". */
function takesWords(spec: OptionSpec): boolean {
  return spec.type === 'monthDay' || spec.type === 'time';
}

/**
 * Binds tokens to declared options: `key:value` by name, bare values in declared order. Words after
 * a string value join it until one fits the next open option, so `/learn secret speech` and
 * `/quiz start topic:secret speech hard` both work; dates and times take the words that make them
 * readable, so `/onthisday October 23` and `time:9:30 pm` work too.
 */
export function bindTokens(
  specs: readonly OptionSpec[],
  tokens: readonly Token[],
): Parsed<Record<string, RawOptionValue>> {
  const named = new Set<string>();
  for (const token of tokens) {
    if (!token.key) continue;
    const spec = specNamed(specs, token.key);
    if (!spec) {
      if (specs.length === 0) return fail(`this command takes no options (got \`${token.key}\`)`);
      return fail(
        `unknown option \`${token.key}\`; this command takes ${specs.map((s) => `\`${s.name}\``).join(', ')}`,
      );
    }
    if (named.has(spec.name)) return fail(`\`${spec.name}\` is given twice`);
    named.add(spec.name);
  }
  const values: Record<string, RawOptionValue> = {};
  let appendTo: string | undefined;
  let wordsFor: OptionSpec | undefined;
  const assign = (spec: OptionSpec, value: string) => {
    values[spec.name] = value;
    appendTo = spec.type === 'string' ? spec.name : undefined;
    wordsFor = takesWords(spec) ? spec : undefined;
  };
  for (const token of tokens) {
    const spec = token.key ? specNamed(specs, token.key) : undefined;
    if (spec) {
      assign(spec, token.value);
      continue;
    }
    if (wordsFor) {
      const joined = `${values[wordsFor.name]} ${token.value}`;
      if (coerceOption(wordsFor, joined).ok) {
        values[wordsFor.name] = joined;
        continue;
      }
    }
    const next = specs.find((s) => !(s.name in values) && !named.has(s.name));
    if (appendTo && !(next && coerceOption(next, token.value).ok)) {
      values[appendTo] = `${values[appendTo]} ${token.value}`;
      continue;
    }
    if (!next) {
      if (specs.length === 0) return fail('this command takes no options');
      // A date or time typed in more words than it takes: show them all in the error that follows.
      if (wordsFor) {
        values[wordsFor.name] = `${values[wordsFor.name]} ${token.value}`;
        continue;
      }
      return fail(
        `there is no option left for \`${token.value.slice(0, 40)}\` (this command takes ${specs.map((s) => `\`${s.name}\``).join(', ')})`,
      );
    }
    assign(next, token.value);
  }
  return { ok: true, value: values };
}

/** Validates raw values against the specs: required options present, each value coerced. */
export function coerceOptions(
  specs: readonly OptionSpec[],
  raw: Record<string, RawOptionValue>,
): Parsed<Record<string, OptionValue>> {
  const out: Record<string, OptionValue> = {};
  const byName: Record<string, RawOptionValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = specNamed(specs, key);
    if (!spec) return fail(`unknown option \`${key}\``);
    if (spec.name in byName) return fail(`\`${spec.name}\` is given twice`);
    byName[spec.name] = value;
  }
  for (const spec of specs) {
    const value = byName[spec.name];
    if (value === undefined || value === '') {
      if (spec.required) return fail(`\`${spec.name}\` is required`);
      continue;
    }
    const parsed = coerceOption(spec, value);
    if (!parsed.ok) return parsed;
    out[spec.name] = parsed.value;
  }
  return { ok: true, value: out };
}

/**
 * `/quiz start [topic:hungary-1956] [questions:3-30]`: a usage line that shows what to type, with
 * an example or the allowed values for each option rather than its type.
 */
export function usage(command: Command, sub?: Subcommand): string {
  const options = (sub ? sub.options : command.options) ?? [];
  const head = sub ? `/${command.name} ${sub.name}` : `/${command.name}`;
  const parts = options.map((o) => {
    const body = `${o.name}:${example(o)}`;
    return o.required ? body : `[${body}]`;
  });
  if (!sub && command.subcommands?.length) parts.unshift(command.subcommands.map((s) => s.name).join('|'));
  return [head, ...parts].join(' ');
}

/** What to type for an option: its few choices, its range, or one example value. */
export function example(o: OptionSpec): string {
  switch (o.type) {
    case 'choice':
      return o.choices.length <= 4 ? o.choices.join('|') : (o.choices[0] ?? '…');
    case 'integer':
      if (o.min !== undefined && o.max !== undefined) return `${o.min}-${o.max}`;
      return String(o.min ?? o.max ?? 1);
    case 'boolean':
      return 'yes|no';
    case 'user':
      return '@maria';
    case 'role':
      return '@teachers';
    case 'monthDay':
      return '10-23';
    case 'time':
      return '08:00';
    case 'timezone':
      return 'Europe/Berlin';
    case 'string':
      // Descriptions give their example as "e.g. hungary-1956".
      return /\b(?:e\.g\.|for example|such as)\s+`?([^\s,;)`]+)/i.exec(o.description)?.[1] ?? '…';
  }
}
