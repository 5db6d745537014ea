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

/**
 * Binds tokens to declared options: `key:value` by name, bare values in declared order. Words after
 * a string value join it until one fits the next open option, so `/learn secret speech` and
 * `/quiz start topic:secret speech hard` both work.
 */
export function bindTokens(
  specs: readonly OptionSpec[],
  tokens: readonly Token[],
): Parsed<Record<string, RawOptionValue>> {
  const byName = new Map(specs.map((s) => [s.name.toLowerCase(), s]));
  const named = new Set<string>();
  for (const token of tokens) {
    if (!token.key) continue;
    const spec = byName.get(token.key);
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
  for (const token of tokens) {
    const spec = token.key ? byName.get(token.key) : undefined;
    if (spec) {
      values[spec.name] = token.value;
      appendTo = spec.type === 'string' ? spec.name : undefined;
      continue;
    }
    const next = specs.find((s) => !(s.name in values) && !named.has(s.name));
    if (appendTo && !(next && coerceOption(next, token.value).ok)) {
      values[appendTo] = `${values[appendTo]} ${token.value}`;
      continue;
    }
    if (!next) {
      if (specs.length === 0) return fail('this command takes no options');
      return fail(`too many values: \`${token.value.slice(0, 40)}\` is not expected`);
    }
    values[next.name] = token.value;
    appendTo = next.type === 'string' ? next.name : undefined;
  }
  return { ok: true, value: values };
}

/** Validates raw values against the specs: required options present, each value coerced. */
export function coerceOptions(
  specs: readonly OptionSpec[],
  raw: Record<string, RawOptionValue>,
): Parsed<Record<string, OptionValue>> {
  const out: Record<string, OptionValue> = {};
  for (const key of Object.keys(raw)) {
    if (!specs.some((s) => s.name === key)) return fail(`unknown option \`${key}\``);
  }
  for (const spec of specs) {
    const value = raw[spec.name];
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

/** `/quiz start [topic] [questions:3-30]`-style usage line. */
export function usage(command: Command, sub?: Subcommand): string {
  const options = (sub ? sub.options : command.options) ?? [];
  const head = sub ? `/${command.name} ${sub.name}` : `/${command.name}`;
  const parts = options.map((o) => {
    const hint =
      o.type === 'choice'
        ? o.choices.join('|')
        : o.type === 'integer' && o.min !== undefined && o.max !== undefined
          ? `${o.min}-${o.max}`
          : o.type === 'monthDay'
            ? 'MM-DD'
            : o.type === 'time'
              ? 'HH:MM'
              : o.type === 'timezone'
                ? 'Area/City'
                : o.type;
    const body = `${o.name}:${hint}`;
    return o.required ? body : `[${body}]`;
  });
  if (!sub && command.subcommands?.length) parts.unshift(command.subcommands.map((s) => s.name).join('|'));
  return [head, ...parts].join(' ');
}
