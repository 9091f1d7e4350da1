import type { NamingRequest } from '@corpus-proximity/core';

/** Bumped whenever the prompt's wording changes, so cached names from an older prompt are not reused. */
export const NAMING_PROMPT_VERSION = 'naming-prompt-v1';

/** The chat messages that ask a model to name one cluster. */
export interface NamingPrompt {
  system: string;
  user: string;
}

/** Rough token count used for budgets: about four characters per token. */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Builds the naming prompt: the path of ancestor names, the names already given to siblings, and
 * numbered samples (whitespace collapsed) trimmed so that all samples fit `sampleTokenBudget`.
 */
export function buildNamingPrompt(request: NamingRequest, options: { sampleTokenBudget?: number } = {}): NamingPrompt {
  const samples = trimSamples(request.samples, (options.sampleTokenBudget ?? 3000) * 4);
  const lines: string[] = [
    'You are analysing one cluster of a hierarchical clustering of texts from a machine-learning training corpus.',
  ];
  if (request.parentPath.length > 0) {
    lines.push(`It is a subcluster of: ${request.parentPath.map(quote).join(' > ')}. Name what sets it apart within its parent, not the parent's theme again.`);
  } else {
    lines.push('It is a top-level cluster of the corpus.');
  }
  if (request.siblingNames.length > 0) {
    lines.push(`Its sibling clusters are already named ${request.siblingNames.map(quote).join(', ')}; choose a different name.`);
  }
  lines.push('', 'Examples from this cluster (the most typical first):');
  samples.forEach((sample, index) => lines.push(`${index + 1}. ${sample}`));
  lines.push(
    '',
    'Give a concise label of 2-5 words for the common theme of these texts, and one sentence describing it.',
    'Answer with JSON only: {"name": "2-5 words", "description": "one sentence"}',
  );
  return {
    system: 'You name clusters of training-corpus texts with short, specific, human-readable labels. You answer with JSON only.',
    user: lines.join('\n'),
  };
}

/** Collapses whitespace and cuts samples to share `budgetChars` fairly; drops samples that no longer fit. */
function trimSamples(samples: string[], budgetChars: number): string[] {
  const collapsed = samples.map((sample) => sample.replace(/\s+/g, ' ').trim()).filter((sample) => sample.length > 0);
  const trimmed: string[] = [];
  let left = budgetChars;
  for (let i = 0; i < collapsed.length; i++) {
    // Each remaining sample gets an equal share of what is left, but at least 200 characters.
    const share = Math.max(200, Math.floor(left / (collapsed.length - i)));
    if (left < 200) break;
    const sample = collapsed[i]!;
    const cut = sample.length <= share ? sample : `${sample.slice(0, share - 1).trimEnd()}…`;
    trimmed.push(cut);
    left -= cut.length;
  }
  return trimmed;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, "'")}"`;
}
