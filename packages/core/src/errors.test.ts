import { describe, expect, it } from 'vitest';
import { CorpusProximityError, InvalidInputError, InvalidIndexError } from './errors.js';

describe('errors', () => {
  it('recognizes its own errors, also across copies of core', () => {
    const error = new InvalidInputError('bad line', { file: 'a.jsonl', line: 3 });
    expect(CorpusProximityError.isInstance(error)).toBe(true);
    expect(error.file).toBe('a.jsonl');
    expect(error.line).toBe(3);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('corpus-proximity.error')]: true });
    expect(CorpusProximityError.isInstance(foreign)).toBe(true);
    expect(CorpusProximityError.isInstance(new Error('plain'))).toBe(false);
    expect(new InvalidIndexError('missing', { directory: '/d', file: 'tree.json' }).code).toBe('invalid-index');
  });
});
