/** What a naming run reports: calls made, failures and why (NameClusterTreeResult's fields). */
export interface NamingOutcome {
  calls: number;
  failures: number;
  errors: { clusterId: string; message: string }[];
}

/**
 * Prints LLM naming failures on stderr (how many, the distinct causes, how to retry with `rename`)
 * and returns the exit status: 1 when every call failed, or when any failed and `strict` is set;
 * else 0. The index is already written either way, and the message says so.
 */
export function reportNamingFailures(
  naming: NamingOutcome | undefined,
  options: { index: string; namer: string; baseURL?: string; strict?: boolean; write?: (text: string) => void },
): number {
  if (naming === undefined || naming.failures === 0) return 0;
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const causes = new Map<string, number>();
  for (const { message } of naming.errors) {
    const safe = redact(message).replace(/\bcluster [\d.]+ /g, 'cluster … ');
    causes.set(safe, (causes.get(safe) ?? 0) + 1);
  }
  const listed = [...causes].slice(0, 3).map(([message, count]) => `  - ${message}${count > 1 ? ` (×${count})` : ''}`);
  if (causes.size > 3) listed.push(`  - … and ${causes.size - 3} other causes (all in ${options.index}/stats.json, naming.errors)`);
  const retry = ['corpus-proximity rename --index', options.index, '--namer', options.namer, ...(options.baseURL ? ['--naming-base-url', options.baseURL] : [])].join(' ');
  const all = naming.failures >= naming.calls;
  const failing = all || options.strict === true;
  write(
    `${failing ? 'error' : 'warning'}: ${naming.failures} of ${naming.calls} naming calls to ${options.namer} failed; those clusters got keyword names instead. Causes:\n` +
      `${listed.join('\n')}\n` +
      `The index in ${options.index} is written and usable. To name it again once the server answers: ${retry}\n`,
  );
  return failing ? 1 : 0;
}

// Error bodies sometimes echo the key; never print one.
function redact(message: string): string {
  const key = process.env.OPENAI_API_KEY;
  const masked = key && key.length >= 8 ? message.split(key).join('[key]') : message;
  return masked.replace(/\b(sk-[A-Za-z0-9_-]{2})[A-Za-z0-9_*.-]{6,}/g, '$1…');
}
