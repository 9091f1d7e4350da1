import { describe, expect, it } from 'vitest';
import { NamingError } from './naming-error.js';
import { parseNamingResponse } from './parse-naming-response.js';

describe('parseNamingResponse', () => {
  it('reads plain JSON, fenced JSON and JSON inside prose', () => {
    expect(parseNamingResponse('{"name": "Bird Anatomy", "description": "How birds are built."}')).toEqual({ name: 'Bird Anatomy', description: 'How birds are built.' });
    expect(parseNamingResponse('```json\n{"name": "Bird Anatomy"}\n```')).toEqual({ name: 'Bird Anatomy' });
    expect(parseNamingResponse('Sure! Here is the label:\n{"name": "Engine Repair Manuals", "description": "Fixing engines."}\nHope it helps.')).toEqual({
      name: 'Engine Repair Manuals',
      description: 'Fixing engines.',
    });
    expect(parseNamingResponse('{"label": "Bread Baking"}').name).toBe('Bread Baking');
  });

  it('reads single-quoted and loosely written fields', () => {
    expect(parseNamingResponse("{'name': 'Bird Anatomy', 'description': 'Wings.'}")).toEqual({ name: 'Bird Anatomy', description: 'Wings.' });
    expect(parseNamingResponse("{'name': 'Children's Picture Books', 'description': 'Books.'}").name).toBe("Children's Picture Books");
    expect(parseNamingResponse('name: Bird Anatomy\ndescription: How birds are built.')).toEqual({ name: 'Bird Anatomy', description: 'How birds are built.' });
  });

  it('takes a bare label line, without prefixes, quotes or markdown', () => {
    expect(parseNamingResponse('Bird Anatomy')).toEqual({ name: 'Bird Anatomy' });
    expect(parseNamingResponse('Cluster label: "Bird Anatomy".')).toEqual({ name: 'Bird Anatomy' });
    expect(parseNamingResponse('**Medieval European History**\n\nThese texts discuss kings.')).toEqual({ name: 'Medieval European History' });
  });

  it('keeps labels to 2–5 words', () => {
    expect(parseNamingResponse('{"name": "Birds, Their Feathers and Wings and Nests"}').name).toBe('Birds, Their Feathers and Wings');
    expect(parseNamingResponse('{"name": "History of Science in the Middle Ages"}').name).toBe('History of Science');
    expect(() => parseNamingResponse('{"name": "Birds"}')).toThrow(NamingError);
    expect(() => parseNamingResponse('These texts are all about the many ways birds use their feathers.')).toThrow(/no usable name/);
    expect(() => parseNamingResponse('   ')).toThrow(/empty content/);
    expect(() => parseNamingResponse(null)).toThrow(/empty content/);
  });
});
