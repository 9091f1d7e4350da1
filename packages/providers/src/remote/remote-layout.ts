import { posix } from 'node:path';
import { shellCommand, shellQuote } from './shell-quote.js';

/** Folders and files of one run on the remote host (paths relative to the login folder unless remoteRoot is absolute). */
export function remoteLayout(remoteRoot: string, runId: string, toolKey: string, toolRoot = remoteRoot) {
  const run = posix.join(remoteRoot, 'runs', runId);
  const tool = posix.join(toolRoot, 'tool', toolKey);
  return {
    root: remoteRoot,
    run,
    /** The pipeline's working folder: inputs keep their relative paths under it. */
    work: posix.join(run, 'work'),
    /** The remote index folder (not under work/, so it can never collide with an input). */
    output: posix.join(run, 'output'),
    progress: posix.join(run, 'output', '.work', 'progress.json'),
    shards: posix.join(run, 'output', '.work', 'embeddings'),
    log: posix.join(run, 'pipeline.log'),
    complete: posix.join(run, '.pipeline_complete'),
    failed: posix.join(run, '.pipeline_failed'),
    script: posix.join(run, 'run.sh'),
    /** Environment for the pipeline (API keys): written 0600, read and deleted by run.sh. */
    environment: posix.join(run, 'environment.sh'),
    tool,
    toolInstalled: posix.join(tool, '.installed'),
    bin: posix.join(tool, 'node_modules', 'corpus-proximity', 'dist', 'bin.js'),
  };
}

/** The layout of one run. */
export type RemoteLayout = ReturnType<typeof remoteLayout>;

/** tmux session name of a run. */
export function tmuxSessionName(runId: string): string {
  return `corpus-proximity-${runId}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * run.sh: loads the 0600 environment file and deletes it, runs `corpus-proximity index` from work/,
 * writes the log, then a marker: .pipeline_complete, or .pipeline_failed holding the exit code.
 * Paths are relative to the login folder, so the script first goes there; every word is quoted.
 */
export function pipelineScript(layout: RemoteLayout, indexArgs: readonly string[]): string {
  const run = shellQuote(layout.run);
  return [
    '#!/bin/sh',
    '# written by corpus-proximity --deploy-gpu',
    'cd || exit 1',
    `RUN=$(cd ${run} && pwd) || exit 1`,
    `if [ -f "$RUN/environment.sh" ]; then set -a; . "$RUN/environment.sh"; set +a; rm -f "$RUN/environment.sh"; fi`,
    `rm -f "$RUN/.pipeline_complete" "$RUN/.pipeline_failed"`,
    `BIN=$(cd && cd ${shellQuote(posix.dirname(layout.bin))} && pwd)/bin.js`,
    'cd "$RUN/work" || exit 1',
    `node "$BIN" ${shellCommand(['index', ...indexArgs, '--output', '../output', '--yes'])} >> "$RUN/pipeline.log" 2>&1`,
    'code=$?',
    'if [ "$code" -eq 0 ]; then : > "$RUN/.pipeline_complete"; else echo "$code" > "$RUN/.pipeline_failed"; fi',
    '',
  ].join('\n');
}

/** The environment file's text: `NAME='value'` lines (names checked, values quoted). */
export function environmentFile(environment: Record<string, string>): string {
  return Object.entries(environment)
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${JSON.stringify(name)}`);
      return `${name}=${shellQuote(value)}\n`;
    })
    .join('');
}
