import { distance } from 'fastest-levenshtein';

/**
 * Lower-case, accent-free letters and digits of any script: "Gomułka" and "gomulka", "Хрущёв" and
 * "хрущев" compare equal. Everything else becomes one space.
 */
export function foldText(value: string, keep = ''): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd')
    .replace(new RegExp(`[^\\p{L}\\p{N}${keep}]+`, 'gu'), ' ')
    .trim();
}

/** The form used to compare names people type. */
export function normalizeName(value: string): string {
  return foldText(value, '/+');
}

/**
 * Ranks candidates for "did you mean": prefix matches first, then substrings, then small edit
 * distances. Each candidate has a value and the names it answers to.
 */
export function closestMatches<T>(
  input: string,
  candidates: readonly T[],
  namesOf: (candidate: T) => readonly string[],
  limit = 5,
): T[] {
  const query = normalizeName(input);
  if (!query) return [];
  const scored: { candidate: T; score: number }[] = [];
  for (const candidate of candidates) {
    let best = Number.POSITIVE_INFINITY;
    for (const raw of namesOf(candidate)) {
      const name = normalizeName(raw);
      if (!name) continue;
      let score: number;
      if (name === query) score = 0;
      else if (name.startsWith(query)) score = 1 + (name.length - query.length) / 100;
      else if (name.includes(query) || (query.length >= 4 && query.includes(name))) score = 2;
      else {
        const d = distance(query, name.slice(0, Math.max(query.length + 2, 1)));
        const full = distance(query, name);
        const dist = Math.min(d, full);
        score = dist <= Math.max(2, Math.floor(query.length / 3)) ? 3 + dist : Number.POSITIVE_INFINITY;
      }
      best = Math.min(best, score);
    }
    if (Number.isFinite(best)) scored.push({ candidate, score: best });
  }
  return scored
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((s) => s.candidate);
}
