import { NamingError } from './naming-error.js';

/** A parsed answer of a naming model. */
export interface ParsedName {
  name: string;
  description?: string;
}

/**
 * Reads a name from a model's answer, tolerating code fences, prose around the JSON, single
 * quotes and a bare line. Names are cleaned and limited to 5 words; fewer than 2 is an error.
 */
export function parseNamingResponse(content: string | null | undefined): ParsedName {
  const text = (content ?? '').trim();
  if (text === '') throw new NamingError('the model answered with empty content; expected {"name": …, "description": …}');
  const parsed = fromJson(text) ?? fromFields(text) ?? fromBareLine(text);
  if (parsed === undefined) throw new NamingError(`the model's answer holds no usable name: ${preview(text)}`);
  const name = cleanName(parsed.name);
  const words = name.split(' ').filter(Boolean);
  if (words.length < 2) throw new NamingError(`the model's name "${name}" has ${words.length} word(s); a label needs 2-5 words`);
  const description = parsed.description?.replace(/\s+/g, ' ').trim();
  // An over-long name keeps its first five words, minus a dangling "and", "of", … at the cut.
  const kept = words.length <= 5 ? words : dropDangling(words.slice(0, 5));
  return { name: kept.join(' '), ...(description ? { description } : {}) };
}

function fromJson(text: string): ParsedName | undefined {
  const unfenced = text.replace(/```[a-zA-Z]*\s*([\s\S]*?)```/, '$1');
  const start = unfenced.indexOf('{');
  const end = unfenced.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  const candidate = unfenced.slice(start, end + 1);
  for (const attempt of [candidate, candidate.replace(/'/g, '"')]) {
    try {
      const value: unknown = JSON.parse(attempt);
      if (typeof value === 'object' && value !== null) {
        const record = value as Record<string, unknown>;
        const name = record.name ?? record.label ?? record.title;
        if (typeof name === 'string' && name.trim() !== '') {
          return { name, description: typeof record.description === 'string' ? record.description : undefined };
        }
      }
    } catch {
      // not JSON in this form; try the next
    }
  }
  return undefined;
}

/** `name: 'x', description: "y"` written loosely (single quotes, unquoted keys, apostrophes inside). */
function fromFields(text: string): ParsedName | undefined {
  const field = (key: string) =>
    new RegExp(`["']?${key}["']?\\s*[:=]\\s*(?:"([^"\\n]*)"|'((?:[^'\\n]|'(?=\\w))*)'|([^,}\\n]+))`, 'i').exec(text);
  const name = field('name') ?? field('label');
  if (!name) return undefined;
  const description = field('description');
  const pick = (match: RegExpExecArray | null) => (match ? (match[1] ?? match[2] ?? match[3] ?? '').trim() : undefined);
  const value = pick(name);
  return value ? { name: value, description: pick(description) } : undefined;
}

/** The first non-empty line, without a "Label:" prefix, list marks or quotes, when it is short enough to be a label. */
function fromBareLine(text: string): ParsedName | undefined {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('```'));
  if (line === undefined) return undefined;
  const stripped = line.replace(/^(?:[-*#>\d.)\s]+)?(?:cluster\s+)?(?:label|name|title)\s*:\s*/i, '').trim();
  const words = cleanName(stripped).split(' ').filter(Boolean);
  return words.length >= 1 && words.length <= 6 ? { name: stripped } : undefined;
}

function dropDangling(words: string[]): string[] {
  const kept = [...words];
  while (kept.length > 2 && /^(and|or|of|the|for|in|with|to|a|an|&)$/i.test(kept.at(-1)!.replace(/[,;:]$/, ''))) kept.pop();
  kept[kept.length - 1] = kept.at(-1)!.replace(/[,;:]+$/, '');
  return kept;
}

function cleanName(name: string): string {
  return name
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'`*_#>-]+|[\s"'`*_.!;:,]+$/g, '')
    .trim()
    .slice(0, 80);
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 120 ? `"${flat.slice(0, 120)}…"` : `"${flat}"`;
}
