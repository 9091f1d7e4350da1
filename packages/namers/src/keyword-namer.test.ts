import type { NamingRequest } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { englishStopWords } from './stop-words.js';
import { createKeywordNamer } from './keyword-namer.js';

const birds = [
  'The bird spread its feathers and flapped a wing before it left the nest.',
  'A small bird with bright feathers sings near the nest every morning.',
  'Feathers keep a bird warm; each wing has long flight feathers.',
  'The nest held three eggs, and the mother bird guarded it with her wing.',
];
const engines = [
  'The engine of the car needs oil, and the piston moves in the cylinder.',
  'A diesel engine compresses air in the cylinder until the fuel ignites.',
  'The mechanic replaced the piston rings and the engine ran smoothly.',
  'Every car engine has a crankshaft turning the piston motion into rotation.',
];
const cooking = [
  'Bake the bread in a hot oven until the crust is golden.',
  'Knead the dough, let the bread rise, then bake it in the oven.',
  'The recipe calls for flour, yeast and water to make bread dough.',
  'An oven preheated to a high heat gives the bread a crisp crust.',
];

function request(texts: string[], siblingTexts: string[][], extra: Partial<NamingRequest> = {}): NamingRequest {
  return { clusterId: '0.1', depth: 1, samples: texts.slice(0, 2), texts, siblingTexts, parentPath: [], siblingNames: [], ...extra };
}

const words = (name: string) => name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

describe('createKeywordNamer', () => {
  it('names sibling topics by their distinctive words', async () => {
    const namer = createKeywordNamer();
    const topics = [birds, engines, cooking];
    const names = await Promise.all(
      topics.map((texts, i) => namer.doName(request(texts, topics.filter((_, j) => j !== i)))),
    );
    expect(words(names[0]!.name)).toEqual(expect.arrayContaining(['bird']));
    expect(words(names[1]!.name)).toEqual(expect.arrayContaining(['engine', 'piston']));
    expect(words(names[2]!.name)).toEqual(expect.arrayContaining(['bread', 'oven']));
    for (const { name, description, naming } of names) {
      expect(words(name)).toHaveLength(3);
      expect(description).toMatch(/^Texts most distinctively about /);
      expect(naming).toBe('keywords');
    }
    expect(new Set(names.map((n) => n.name)).size).toBe(3);
  });

  it('prefers words that set a cluster apart from its siblings over shared ones', async () => {
    const shared = (texts: string[]) => texts.map((text) => `${text} Published in the weekly magazine.`);
    const namer = createKeywordNamer({ words: 2 });
    const result = await namer.doName(request(shared(birds), [shared(engines), shared(cooking)]));
    expect(words(result.name)).not.toContain('magazine');
    expect(words(result.name)).not.toContain('weekly');
    // With no siblings the same word is legitimately the most frequent.
    const alone = await namer.doName(request(shared(birds), []));
    expect(words(alone.name).length).toBe(2);
  });

  it('never uses stop words, built-in or given', async () => {
    const namer = createKeywordNamer({ words: 5, stopWords: ['Bird', 'feathers'] });
    const result = await namer.doName(request(birds, [engines]));
    const stop = new Set([...englishStopWords, 'bird', 'feathers']);
    const listed = (result.description ?? '').replace(/^Texts most distinctively about /, '').replace(/\.$/, '').split(/, | and /);
    expect(listed.length).toBeGreaterThanOrEqual(5);
    for (const word of [...words(result.name), ...listed]) expect(stop.has(word), word).toBe(false);
    expect(words(result.name)).toHaveLength(5);
  });

  it('avoids a label a sibling already has by taking the next best term', async () => {
    const namer = createKeywordNamer({ words: 2 });
    const first = await namer.doName(request(engines, [birds]));
    const second = await namer.doName(request(engines, [birds], { siblingNames: [first.name.toUpperCase()] }));
    expect(second.name).not.toBe(first.name);
    expect(words(second.name)[0]).toBe(words(first.name)[0]);
    expect(words(second.name)).toHaveLength(2);
  });

  it('falls back to "Unlabelled cluster <id>" when there is nothing to read', async () => {
    const namer = createKeywordNamer();
    const empty = await namer.doName(request([], [engines], { clusterId: '0.3.1', samples: [] }));
    expect(empty.name).toBe('Unlabelled cluster 0.3.1');
    const onlyStop = await namer.doName(request(['the and of it', '123 456'], [], { clusterId: '0.2', samples: [] }));
    expect(onlyStop.name).toBe('Unlabelled cluster 0.2');
  });

  it('uses the samples when no texts are given, and avoids the parent name', async () => {
    const namer = createKeywordNamer({ words: 2 });
    const fromSamples = await namer.doName({ ...request([], [engines]), samples: birds });
    expect(words(fromSamples.name)).toContain('bird');
    const child = await namer.doName(request(birds, [engines], { parentPath: ['Bird Life'] }));
    expect(words(child.name)).not.toContain('bird');
  });

  it('is deterministic and merges simple plurals', async () => {
    const namer = createKeywordNamer({ words: 5 });
    const a = await namer.doName(request(birds, [engines, cooking]));
    const b = await createKeywordNamer({ words: 5 }).doName(request(birds, [engines, cooking]));
    expect(a).toEqual(b);
    const stems = words(a.name).map((word) => word.replace(/s$/, ''));
    expect(new Set(stems).size).toBe(stems.length);
  });

  it('rejects a label length outside 2–5', () => {
    expect(() => createKeywordNamer({ words: 1 })).toThrow(/2 to 5/);
    expect(() => createKeywordNamer({ words: 6 })).toThrow(/2 to 5/);
  });
});
