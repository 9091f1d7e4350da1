import { InvalidInputError } from '@corpus-proximity/core';
import { describe, expect, it } from 'vitest';
import { confidenceOf, formatChess } from './format-chess.js';
import { seedExample } from './test-fixture.js';

describe('formatChess', () => {
  it('lays out sentences in text order with ranked clusters and the interpretation', () => {
    expect(formatChess(seedExample())).toBe(
      [
        '',
        'Model Output:',
        '"The derivative of x^2 is 2x. This follows from the power rule."',
        '',
        '📍 Source Analysis:',
        '  ├─ "The derivative of x^2 is 2x."',
        '     [1] Calculus Education (d=0.080, midtrain)',
        '     [2] Mathematics Textbooks (d=0.120, pretrain)',
        '     [3] STEM Tutorials (d=0.150)',
        '',
        '  ├─ "This follows from the power rule."',
        '     [1] Mathematics Textbooks (d=0.120, pretrain)',
        '     [2] Calculus Education (d=0.140, midtrain)',
        '     [3] Academic Writing (d=0.180, sft)',
        '',
        '🎯 Interpretation:',
        '  Average distance: 0.100 (HIGH confidence)',
        '  Model output closely matches training corpus - likely grounded response.',
        '',
      ].join('\n'),
    );
  });

  it('keeps text order even when a later sentence sorts first alphabetically', () => {
    const output = seedExample();
    output.annotations = output.annotations.map((a) => ({ ...a, textSpan: a.sentenceIndex === 0 ? 'Zebra sentence.' : 'Aardvark sentence.' }));
    const text = formatChess(output);
    expect(text.indexOf('Zebra')).toBeLessThan(text.indexOf('Aardvark'));
  });

  it('uses configurable bands for the interpretation', () => {
    expect(formatChess(seedExample(), { bands: { high: 0.05, medium: 0.2 } })).toContain('Average distance: 0.100 (MEDIUM confidence)');
    expect(formatChess(seedExample(), { bands: { high: 0.01, medium: 0.02 } })).toMatch(/0\.100 \(LOW confidence\)\n {2}Model output far from training corpus/);
    expect(() => formatChess(seedExample(), { bands: { high: 0.5, medium: 0.2 } })).toThrow(InvalidInputError);
    expect(confidenceOf(0.149)).toBe('HIGH');
    expect(confidenceOf(0.15)).toBe('MEDIUM');
    expect(confidenceOf(0.3)).toBe('LOW');
  });

  it('shows the nearest corpus chunk of each sentence when asked, on one line', () => {
    const output = seedExample();
    output.annotations[3] = { ...output.annotations[3]!, nearestChunkText: 'Calculus\nnotes' };
    const text = formatChess(output, { showChunks: true });
    expect(text).toContain('     [3] STEM Tutorials (d=0.150)\n     Corpus: "Calculus notes"\n');
    expect(text).toContain('     Corpus: "chunk of Mathematics Textbooks"');
    const long = seedExample();
    long.annotations[3] = { ...long.annotations[3]!, nearestChunkText: 'y'.repeat(200) };
    expect(formatChess(long, { showChunks: true })).toContain(`Corpus: "${'y'.repeat(200)}..."`);
  });

  it('colors distances by band only when asked', () => {
    expect(formatChess(seedExample())).not.toContain('\u001b[');
    const colored = formatChess(seedExample(), { color: true });
    expect(colored).toContain('\u001b[32md=0.080\u001b[0m');
    expect(colored).toContain('\u001b[33md=0.180\u001b[0m');
    expect(colored.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '')).toBe(formatChess(seedExample()));
  });

  it('says so when there is nothing to annotate', () => {
    const output = { ...seedExample(), text: '', annotations: [] };
    const text = formatChess(output);
    expect(text).toContain('(nothing to annotate)');
    expect(text).not.toContain('NaN');
  });
});
