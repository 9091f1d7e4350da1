// A second labelled corpus nobody here wrote: the short descriptions of Debian's packages (this
// machine's apt lists, read with `apt-cache dumpavail`), each labelled with its archive Section
// (games, science, python, …: assigned by Debian's maintainers and ftp-masters). Identical
// descriptions are kept once; a seeded shuffle picks n.
//   node bench/cluster/debian-descriptions.mjs [n=10000] [out=/tmp/debian-descriptions-<n>.jsonl]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { importPipelineSources } from '../pipeline/sources.mjs';

const [n = 10000, out = `/tmp/debian-descriptions-${n}.jsonl`] = process.argv.slice(2);
const text = execFileSync('apt-cache', ['dumpavail'], { encoding: 'utf8', maxBuffer: 1 << 30 });
const seen = new Set();
const records = [];
for (const stanza of text.split('\n\n')) {
  const description = /^Description: (.+)$/m.exec(stanza)?.[1];
  const section = /^Section: (.+)$/m.exec(stanza)?.[1];
  if (!description || !section || seen.has(description)) continue;
  seen.add(description);
  records.push({ text: description, label: section.replace(/^(contrib|non-free|non-free-firmware)\//, '') });
}
const sources = await importPipelineSources();
sources.shuffleInPlace(records, sources.createRandom(42));
const picked = records.slice(0, Number(n));
writeFileSync(out, picked.map((record) => JSON.stringify(record)).join('\n') + '\n');
console.log(`${out}: ${picked.length} of ${records.length} distinct descriptions, ${new Set(picked.map((r) => r.label)).size} sections`);
