/**
 * A small topical corpus for the examples: WordNet 3.1 glosses ("sparrow: a small brown bird…")
 * from a few lexicographer files, so the cluster tree has visible topics. Deterministic for a seed.
 */
import { readWordNetGlosses, seededShuffle } from './wordnet/wordnet-corpus.mjs';

/** One WordNet gloss: text = "lemma, lemma: gloss", with its lexicographer file as the topic. */
export interface GlossRecord {
  text: string;
  lexname: string;
  pos: string;
  synset: string;
}

/** The lexicographer files the examples draw from by default. */
export const EXAMPLE_TOPICS = ['noun.animal', 'noun.food', 'noun.person', 'noun.plant'];

let cache: GlossRecord[] | undefined;

/**
 * `perTopic` corpus glosses and `heldOutPerTopic` other glosses (not in the corpus) from each topic,
 * each list shuffled with the seed.
 */
export function wordNetTopics(options: { perTopic: number; heldOutPerTopic?: number; seed?: number; topics?: string[] }): {
  corpus: GlossRecord[];
  heldOut: GlossRecord[];
} {
  const seed = options.seed ?? 42;
  const heldOutPerTopic = options.heldOutPerTopic ?? 0;
  cache ??= readWordNetGlosses() as GlossRecord[];
  const corpus: GlossRecord[] = [];
  const heldOut: GlossRecord[] = [];
  for (const topic of options.topics ?? EXAMPLE_TOPICS) {
    const records = seededShuffle(
      cache.filter((record) => record.lexname === topic),
      seed,
    ) as GlossRecord[];
    corpus.push(...records.slice(0, options.perTopic));
    heldOut.push(...records.slice(options.perTopic, options.perTopic + heldOutPerTopic));
  }
  return { corpus: seededShuffle(corpus, seed + 1) as GlossRecord[], heldOut: seededShuffle(heldOut, seed + 2) as GlossRecord[] };
}
