import type { NamingRequest } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { approximateTokens, buildNamingPrompt } from './naming-prompt.js';

const base: NamingRequest = { clusterId: '0.1.2', depth: 2, samples: [], texts: [], siblingTexts: [], parentPath: [], siblingNames: [] };

describe('buildNamingPrompt', () => {
  it('carries the ancestor path, sibling names and numbered samples', () => {
    const { system, user } = buildNamingPrompt({
      ...base,
      parentPath: ['Natural Science', 'Ornithology'],
      siblingNames: ['Bird Migration', 'Nest Building'],
      samples: ['The wing of a bird\n\nhas   feathers.', 'Eagles hunt.'],
    });
    expect(system).toMatch(/JSON/);
    expect(user).toContain('It is a subcluster of: "Natural Science" > "Ornithology".');
    expect(user).toContain('already named "Bird Migration", "Nest Building"; choose a different name');
    expect(user).toContain('\n1. The wing of a bird has feathers.\n2. Eagles hunt.\n');
    expect(user).toContain('{"name": "2-5 words", "description": "one sentence"}');
    const top = buildNamingPrompt({ ...base, samples: ['x'] }).user;
    expect(top).toContain('top-level cluster');
    expect(top).not.toContain('already named');
  });

  it('trims samples to the token budget', () => {
    const samples = Array.from({ length: 8 }, (_, i) => `${i} `.repeat(2000));
    const { user } = buildNamingPrompt({ ...base, samples }, { sampleTokenBudget: 1000 });
    const numbered = user.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(numbered).toHaveLength(8);
    expect(numbered.every((line) => line.endsWith('…'))).toBe(true);
    const sampleTokens = numbered.reduce((sum, line) => sum + approximateTokens(line), 0);
    expect(sampleTokens).toBeLessThanOrEqual(1000 + 8 * 2);
    const tight = buildNamingPrompt({ ...base, samples }, { sampleTokenBudget: 200 }).user;
    expect(tight.split('\n').filter((line) => /^\d+\. /.test(line)).length).toBeLessThan(8);
  });
});
