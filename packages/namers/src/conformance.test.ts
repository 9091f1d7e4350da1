import { testNamer } from '@corpus-proximity/core/test';
import { afterAll } from 'vitest';
import { createKeywordNamer } from './keyword-namer.js';
import { createOpenAINamer } from './openai-namer.js';
import { startChatServer } from './start-chat-server.js';

testNamer('keyword namer', () => createKeywordNamer());
testNamer('keyword namer, 5 words', () => createKeywordNamer({ words: 5 }));

// A stand-in model: names a cluster after the two longest words of its first sample, avoiding taken names.
const server = await startChatServer(({ prompt }) => {
  const taken = [...(/already named (.*); choose/.exec(prompt)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const words = [...new Set((/\n1\. (.*)/.exec(prompt)?.[1] ?? '').toLowerCase().match(/[a-z]{4,}/g) ?? [])].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const candidates = words.flatMap((a, i) => words.slice(i + 1).map((b) => `${cap(a)} ${cap(b)}`));
  const name = candidates.find((candidate) => !taken.includes(candidate)) ?? 'Unnamed Texts';
  return { content: `\`\`\`json\n{"name": "${name}", "description": "Texts about ${name.toLowerCase()}."}\n\`\`\`` };
});
afterAll(() => server.close());
const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

testNamer('openai namer against a local chat server', () => createOpenAINamer({ baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 }));
