import { InvalidInputError, type NamerV1, type NamingRequest } from '@corpus-proximity/core';
import { classTfIdf, type ClassTermCache } from './class-tf-idf.js';
import { englishStopWords } from './stop-words.js';

/** Settings of the keyword namer. */
export interface KeywordNamerSettings {
  /** Terms in a label, 2–5. Default 3. */
  words?: number;
  /** Extra stop words, added to the built-in English list. */
  stopWords?: string[];
  /** Terms listed in the description. Default 8. */
  descriptionTerms?: number;
}

/** Joins the terms of a keyword label. */
export const KEYWORD_LABEL_SEPARATOR = ' · ';

/**
 * A namer that needs no API: the cluster's most distinctive terms against its siblings by
 * class-based TF-IDF, e.g. "Bird · Feathers · Wing". Deterministic; never throws on empty input.
 */
export function createKeywordNamer(settings: KeywordNamerSettings = {}): NamerV1 {
  const words = settings.words ?? 3;
  if (!Number.isInteger(words) || words < 2 || words > 5) {
    throw new InvalidInputError(`createKeywordNamer: words must be an integer from 2 to 5, got ${words}; pass e.g. { words: 3 }.`);
  }
  const descriptionTerms = Math.max(words, settings.descriptionTerms ?? 8);
  const stopWords = new Set([...englishStopWords, ...(settings.stopWords ?? []).map((word) => word.toLowerCase())]);
  const termCache: ClassTermCache = new WeakMap();
  return {
    specificationVersion: 'namer-v1',
    id: 'keywords',
    async doName(request: NamingRequest) {
      const texts = request.texts.length > 0 ? request.texts : request.samples;
      const ranked = classTfIdf(texts, request.siblingTexts, stopWords, termCache).map((scored) => scored.term);
      const parentWords = new Set(request.parentPath.flatMap((name) => name.toLowerCase().split(/[^\p{L}\p{N}]+/u)));
      // Words of the parent's name say nothing new about a child; use them only when nothing else is left.
      const candidates = dedupeInflections([
        ...ranked.filter((term) => !parentWords.has(term)),
        ...ranked.filter((term) => parentWords.has(term)),
      ]);
      if (candidates.length === 0) {
        return { name: `Unlabelled cluster ${request.clusterId}`, description: 'No words to describe this cluster.', naming: 'keywords' };
      }
      const name = pickLabel(candidates, words, request.siblingNames);
      const listed = candidates.slice(0, descriptionTerms);
      const description = `Texts most distinctively about ${joinList(listed)}.`;
      return { name, description, naming: 'keywords' };
    },
  };
}

/** The first `words` candidates as a title-cased label, swapping the last term until no sibling has that label. */
function pickLabel(candidates: string[], words: number, siblingNames: string[]): string {
  const taken = new Set(siblingNames.map(normalizeLabel));
  const head = candidates.slice(0, Math.min(words, candidates.length));
  const format = (terms: string[]) => terms.map(titleCase).join(KEYWORD_LABEL_SEPARATOR);
  let label = format(head);
  for (let next = head.length; taken.has(normalizeLabel(label)) && next < candidates.length; next++) {
    label = format([...head.slice(0, -1), candidates[next]!]);
  }
  for (let copy = 2; taken.has(normalizeLabel(label)); copy++) label = `${format(head)} (${copy})`;
  return label;
}

/** Drops a term whose simple singular ("wings" → "wing") is already listed, keeping the better-ranked form. */
function dedupeInflections(terms: string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const term of terms) {
    const stem = term.replace(/(?:es|s)$/u, '');
    if (seen.has(stem)) continue;
    seen.add(stem);
    kept.push(term);
  }
  return kept;
}

/** Case- and separator-insensitive form of a label, for collision checks. */
function normalizeLabel(label: string): string {
  return label.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
}

function titleCase(term: string): string {
  return term.charAt(0).toUpperCase() + term.slice(1);
}

function joinList(terms: string[]): string {
  if (terms.length <= 1) return terms.join('');
  return `${terms.slice(0, -1).join(', ')} and ${terms.at(-1)!}`;
}
