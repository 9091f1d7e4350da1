// The three query sets of the verdict-quality benchmark: held-out WordNet glosses (in distribution),
// prose sentences from README/docs files shipped in node_modules (out of distribution), generated gibberish.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, shuffleInPlace } from '@corpus-proximity/core/internal';
import { wordNetSlice } from '../../examples/wordnet/wordnet-corpus.mjs';

/** Word count used to match the lengths of the out-of-distribution and gibberish sets to the glosses. */
export const wordCount = (text) => text.split(/\s+/).filter(Boolean).length;

/** `size` WordNet glosses for the index and `queries` held-out ones (not in the index), one seeded shuffle. */
export function wordnetSets({ size, queries, seed }) {
  const { corpus, heldOut } = wordNetSlice({ size, heldOut: queries, seed });
  return { corpus, inDistribution: heldOut.map((r) => ({ set: 'in', kind: 'wordnet-gloss', text: r.text, lexname: r.lexname })) };
}

/** Markdown files (README*, docs/**) of every real package folder under node_modules/.pnpm, sorted. */
function markdownFiles(root) {
  const pnpm = join(root, 'node_modules/.pnpm');
  const files = [];
  const walk = (dir, depth) => {
    let entries;
    try { entries = readdirSync(dir).sort(); } catch { return; }
    for (const name of entries) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) continue;
      if (stat.isDirectory() && depth > 0 && name !== 'node_modules' && name !== 'test' && name !== 'tests') walk(path, depth - 1);
      else if (stat.isFile() && /\.(md|markdown)$/i.test(name) && !/^(changelog|history|license|licence|code_of_conduct|security|contributing)/i.test(name)) files.push(path);
    }
  };
  for (const entry of readdirSync(pnpm).sort()) {
    if (/wordnet/i.test(entry)) continue; // WordNet's own package would be in distribution
    const modules = join(pnpm, entry, 'node_modules');
    let names;
    try { names = readdirSync(modules).sort(); } catch { continue; }
    for (const name of names) {
      const scoped = name.startsWith('@') ? readdirSync(join(modules, name)).sort().map((n) => join(name, n)) : [name];
      for (const pkg of scoped) {
        const dir = join(modules, pkg);
        if (/wordnet/i.test(pkg) || lstatSync(dir).isSymbolicLink()) continue;
        walk(dir, 3);
      }
    }
  }
  return files;
}

/** The package descriptions of Debian's Python packages (dist-info METADATA, egg-info PKG-INFO), sorted: a second source nobody here wrote. */
function pythonMetadataFiles() {
  const dir = '/usr/lib/python3/dist-packages';
  let entries;
  try { entries = readdirSync(dir).sort(); } catch { return []; }
  return entries.flatMap((name) => (name.endsWith('.dist-info') ? [join(dir, name, 'METADATA')] : name.endsWith('.egg-info') ? [join(dir, name, 'PKG-INFO')] : []))
    .filter((path) => { try { return lstatSync(path).isFile(); } catch { return false; } });
}

/** Prose sentences of one markdown text: code blocks, HTML, tables, headings, links and inline code removed. */
export function proseSentences(markdown) {
  const text = markdown
    .replace(/^---\n[\s\S]*?\n---\n/, '')
    .replace(/(^|\n)(```|~~~)[\s\S]*?\n\2[^\n]*/g, '\n')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>\n]+>/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  const sentences = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const lines = paragraph.split('\n').filter((line) => !/^\s{4,}|^\t|^\s*#|\||^\s*\[[^\]]+\]:/.test(line));
    const prose = lines.map((line) => line.replace(/^\s*(>\s*)*([-*+]|\d+[.)])?\s*/, '')).join(' ').replace(/[*_]{1,3}([^*_\s][^*_]*?)[*_]{1,3}/g, '$1').replace(/\s+/g, ' ').trim();
    for (const sentence of prose.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
      const words = sentence.split(' ');
      const alphabetic = words.filter((w) => /^[A-Za-z][a-z'’-]*[.,;:!?)]*$|^\(?[a-z]+[.,;:!?)]*$/.test(w)).length;
      if (words.length < 4 || words.length > 60 || !/^[A-Z]/.test(sentence) || !/[.!?]$/.test(sentence)) continue;
      if (/[`{}<>=$\\@#|~^]|https?:|www\.|\.\w+\(|\w\/\w|_/.test(sentence) || alphabetic / words.length < 0.85) continue;
      sentences.push(sentence);
    }
  }
  return sentences;
}

/** Picks one item per target length from `pool` (bucketed by word count), the nearest length when a bucket is empty. */
function matchLengths(pool, targets, random) {
  const buckets = new Map();
  for (const item of shuffleInPlace([...pool], random)) {
    const n = wordCount(item.text);
    if (!buckets.has(n)) buckets.set(n, []);
    buckets.get(n).push(item);
  }
  return targets.map((target) => {
    for (let offset = 0; offset < 200; offset++) {
      for (const n of [target + offset, target - offset]) {
        const bucket = buckets.get(n);
        if (bucket?.length) return bucket.pop();
      }
    }
    throw new Error(`verdict-queries: ran out of out-of-distribution sentences (wanted ${targets.length})`);
  });
}

/** Out of distribution: prose from node_modules READMEs (or, `source: 'python-metadata'`, Debian's Python package descriptions), lengths matched to `lengths`. */
export function outOfDistribution({ root, lengths, seed, source = 'node_modules' }) {
  const files = source === 'python-metadata' ? pythonMetadataFiles() : markdownFiles(root);
  const seen = new Set();
  const pool = [];
  for (const file of files) {
    // METADATA/PKG-INFO: the header (Key: value lines) ends at the first blank line; the description follows.
    const text = readFileSync(file, 'utf8');
    for (const sentence of proseSentences(source === 'python-metadata' ? text.slice(text.indexOf('\n\n') + 2).replace(/^ {7,8}\|?/gm, '') : text)) {
      const key = sentence.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      pool.push({ set: 'ood', kind: source === 'python-metadata' ? 'python-package-description' : 'node_modules-readme', text: sentence, source: source === 'python-metadata' ? file.split('/').slice(-2, -1)[0] : file.slice(file.indexOf('node_modules/.pnpm/') + 19) });
    }
  }
  return { queries: matchLengths(pool, lengths, createRandom(seed)), files: files.length, pool: pool.length };
}

const ONSETS = ['b', 'bl', 'br', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'k', 'kl', 'l', 'm', 'n', 'p', 'pr', 'r', 's', 'sk', 'st', 't', 'tr', 'v', 'z', 'zh', 'th', 'qu', ''];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ee', 'y', 'oa'];
const CODAS = ['', '', '', 'n', 'r', 'st', 'x', 'k', 'm', 'rv', 'nd', 'sh', 'lt'];
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl;', 'zxcvbnm,./', '1234567890'];

/** Generated text with no meaning, in six seeded kinds; word-shaped kinds take their lengths from `lengths`. */
export function gibberish({ lengths, seed }) {
  const random = createRandom(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  const sentence = (words) => { const s = words.join(' '); return s[0].toUpperCase() + s.slice(1) + '.'; };
  const letters = () => Array.from({ length: int(1, 10) }, () => String.fromCharCode(97 + int(0, 25))).join('');
  const syllables = () => Array.from({ length: int(1, 4) }, () => pick(ONSETS) + pick(NUCLEI) + pick(CODAS)).join('');
  const mash = () => { const row = pick(KEYBOARD_ROWS); const start = int(0, row.length - 3); return row.slice(start, start + int(2, row.length - start)).split('').sort(() => random() - 0.5).join('').repeat(int(1, 2)); };
  const ident = () => pick(['x', 'i', 'n', 'tmp', 'buf', 'ctx', 'arr', 'res', 'val', 'fn']) + pick(['', '_1', '2', 'Ptr', 'Len']);
  const code = () => pick([
    () => `const ${ident()} = ${ident()}(${ident()}, ${int(0, 99)});`,
    () => `for (let ${ident()} = 0; ${ident()} < ${int(2, 512)}; ${ident()}++) { ${ident()}[${ident()}] ^= 0x${int(16, 255).toString(16)}; }`,
    () => `if (${ident()} >= ${int(0, 9)} && !${ident()}) return ${ident()}->${ident()};`,
    () => `def ${ident()}(${ident()}): return ${ident()} ** ${int(2, 5)} % ${int(3, 97)}`,
    () => `${ident()} := make([]int, ${int(1, 64)}); ${ident()} = append(${ident()}, ${int(0, 9)})`,
    () => `#include <stdio.h> int main(void) { printf("%d\\n", ${int(0, 999)}); }`,
  ])();
  const latex = () => pick([
    () => `$\\frac{${ident()}}{${int(2, 9)}} + \\sum_{i=1}^{${int(2, 99)}} x_i^{${int(2, 4)}}$`,
    () => `$$\\int_0^{\\infty} e^{-${int(2, 9)}x} \\, dx = \\frac{1}{${int(2, 9)}}$$`,
    () => `\\begin{equation} \\nabla \\cdot \\mathbf{E} = \\frac{\\rho}{\\epsilon_${int(0, 3)}} \\end{equation}`,
    () => `$\\lim_{n \\to \\infty} (1 + \\frac{${int(1, 9)}}{n})^n = e^{${int(1, 9)}}$`,
    () => `$\\mathbb{E}[X^${int(2, 4)}] = \\sigma^2 + \\mu^2$`,
  ])();
  const punctuation = () => Array.from({ length: int(1, 6) }, () => pick(['!!!', '???', '...', '---', '***', '#@%&', '?!', ';;', '~~~', '+++', '((()))', '<<>>'])).join(' ');
  const kinds = [
    ['random-letters', 0.25, (n) => sentence(Array.from({ length: n }, letters))],
    ['syllable-salad', 0.3, (n) => sentence(Array.from({ length: n }, syllables))],
    ['keyboard-mash', 0.15, (n) => Array.from({ length: Math.max(1, Math.round(n / 2)) }, mash).join(' ')],
    ['code-only', 0.1, code],
    ['latex-only', 0.1, latex],
    ['punctuation-only', 0.1, punctuation],
  ];
  const queries = [];
  let start = 0;
  kinds.forEach(([kind, share, make], i) => {
    const end = i === kinds.length - 1 ? lengths.length : start + Math.round(share * lengths.length);
    for (let j = start; j < end; j++) queries.push({ set: 'gibberish', kind, text: make(lengths[j]) });
    start = end;
  });
  return queries;
}
