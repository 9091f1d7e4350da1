import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const heavy = ['@huggingface/transformers', 'onnxruntime-node', 'openai'];

describe('heavy libraries', () => {
  it('are only imported dynamically, so importing the package loads none of them', () => {
    const here = import.meta.dirname;
    const files = readdirSync(here, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const source = readFileSync(join(here, file), 'utf8');
      for (const name of heavy) {
        const staticImport = new RegExp(`^\\s*(import|export)\\s[^;]*from\\s+'${name}'`, 'm');
        expect(staticImport.test(source), `${file} imports ${name} statically`).toBe(false);
      }
    }
  });
});
