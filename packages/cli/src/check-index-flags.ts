import { checkIndexSettings } from './config-schema.js';
import { UsageError } from './usage-error.js';

/** Flag → config key (dotted), with how the flag's text becomes the config value. */
const FLAGS: Record<string, { key: string; flag: string; kind: 'text' | 'number' | 'fit-sample' }> = {
  output: { key: 'output', flag: '--output', kind: 'text' },
  stage: { key: 'stage', flag: '--stage', kind: 'text' },
  textField: { key: 'textField', flag: '--text-field', kind: 'text' },
  seed: { key: 'seed', flag: '--seed', kind: 'number' },
  maxChunks: { key: 'maxChunks', flag: '--max-chunks', kind: 'number' },
  embedder: { key: 'embedder', flag: '--embedder', kind: 'text' },
  device: { key: 'device', flag: '--device', kind: 'text' },
  dtype: { key: 'dtype', flag: '--dtype', kind: 'text' },
  batchSize: { key: 'batchSize', flag: '--batch-size', kind: 'number' },
  checkpointEvery: { key: 'checkpointEvery', flag: '--checkpoint-every', kind: 'number' },
  requestTimeout: { key: 'requestTimeout', flag: '--request-timeout', kind: 'number' },
  embeddingBaseUrl: { key: 'embeddingBaseUrl', flag: '--embedding-base-url', kind: 'text' },
  fitSample: { key: 'fitSample', flag: '--fit-sample', kind: 'fit-sample' },
  dimensions: { key: 'dimensions', flag: '--dimensions', kind: 'number' },
  chunking: { key: 'chunking.strategy', flag: '--chunking', kind: 'text' },
  namer: { key: 'namer', flag: '--namer', kind: 'text' },
  namingConcurrency: { key: 'naming.concurrency', flag: '--naming-concurrency', kind: 'number' },
};

/**
 * Checks the flag values of `index` with the same schema as a --config file, before any work,
 * so `--max-chunks 0` or `--stage ""` stop at once with a message naming the flag.
 */
export function checkIndexFlags(flags: Record<string, unknown>): void {
  const settings: Record<string, unknown> = {};
  const flagOf = new Map<string, string>();
  for (const [name, { key, flag, kind }] of Object.entries(FLAGS)) {
    const raw = flags[name];
    if (raw === undefined) continue;
    const value = typeof raw === 'string' && (kind === 'number' || (kind === 'fit-sample' && raw !== 'all' && raw !== 'auto')) && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    const [head, tail] = key.split('.');
    if (tail === undefined) settings[head!] = value;
    else settings[head!] = { ...(settings[head!] as object), [tail]: value };
    flagOf.set(key, flag);
  }
  const problems = checkIndexSettings(settings, (path) => flagOf.get(path) ?? path);
  if (problems.length > 0) throw new UsageError(`index: ${problems.join('; ')}`);
}
