import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpusIndex } from '@corpus-proximity/core';
import { OUTPUT_LOCK_FILE } from './output-lock.js';
import { CLI_BIN, runCli } from './test-support/run-cli.js';
import { writeSmallCorpus } from './test-support/small-corpus.js';

const work = mkdtempSync(join(tmpdir(), 'cp-output-'));
const { corpus, config } = writeSmallCorpus(work);
const index = (output: string, ...extra: string[]) => runCli(['index', corpus, '--output', output, '--config', config, '--yes', '-q', ...extra]);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('index --output into a folder that is not ours (issue 14 item 1)', () => {
  it('refuses a non-empty folder that is not an index, naming the files it would overwrite; --force writes', async () => {
    const output = join(work, 'project');
    mkdirSync(output);
    writeFileSync(join(output, 'config.json'), '{"mine": true}\n');
    writeFileSync(join(output, 'notes.txt'), 'keep me\n');
    const refused = await index(output);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(output);
    expect(refused.stderr).toContain('config.json');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(output, 'config.json'), 'utf8')).toBe('{"mine": true}\n');
    const forced = await index(output, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(output, 'notes.txt'), 'utf8')).toBe('keep me\n');
    expect((await loadCorpusIndex(output)).count).toBe(300);
  });

  it('rebuilds its own index in place, but refuses an index of another corpus', async () => {
    const output = join(work, 'own');
    expect((await index(output)).code).toBe(0);
    expect((await index(output, '--seed', '7')).code).toBe(0);
    const other = join(work, 'other.jsonl');
    writeFileSync(other, readFileSync(corpus));
    const refused = await runCli(['index', other, '--output', output, '--config', config, '--yes', '-q']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('another corpus');
    expect(refused.stderr).toContain(corpus);
  });

  it('resumes an interrupted run of its own (.work/ present, no manifest)', async () => {
    const output = join(work, 'resume');
    const child = spawn(process.execPath, [CLI_BIN, 'index', corpus, '--output', output, '--config', config, '--yes', '--checkpoint-every', '50'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve) => {
      let stderr = '';
      child.stderr.on('data', (data) => {
        stderr += data;
        if (/\[(embed|cluster)\]/.test(stderr)) resolve();
      });
      child.on('close', () => resolve());
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    if (existsSync(join(output, 'manifest.json'))) rmSync(join(output, 'manifest.json'));
    expect(existsSync(join(output, '.work'))).toBe(true);
    const resumed = await index(output, '--checkpoint-every', '50');
    expect(resumed.stderr).not.toContain('not empty');
    expect(resumed.code).toBe(0);
  });
});

describe('a lock on --output (issue 14 item 2)', () => {
  it('refuses a second run while the first holds the folder, naming its pid, and releases the lock after', async () => {
    const output = join(work, 'locked');
    const first = spawn(process.execPath, [CLI_BIN, 'index', corpus, '--output', output, '--config', config, '--yes'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const firstDone = new Promise<number | null>((resolve) => first.on('close', resolve));
    first.stderr.resume();
    while (!existsSync(join(output, OUTPUT_LOCK_FILE))) await new Promise((resolve) => setTimeout(resolve, 10));
    const holder = JSON.parse(readFileSync(join(output, OUTPUT_LOCK_FILE), 'utf8'));
    expect(holder).toMatchObject({ pid: first.pid, host: hostname() });
    expect(holder.command).toContain('index');
    const second = await index(output);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${first.pid}`);
    expect(second.stderr).toContain(output);
    expect(await firstDone).toBe(0);
    expect(existsSync(join(output, OUTPUT_LOCK_FILE))).toBe(false);
    expect((await loadCorpusIndex(output)).count).toBe(300);
  });

  it('takes over a stale lock left by a dead process, with a message', async () => {
    const output = join(work, 'stale');
    mkdirSync(output);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(output, OUTPUT_LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout), host: hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'corpus-proximity index old' }));
    const result = await index(output);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('stale lock');
    expect(existsSync(join(output, OUTPUT_LOCK_FILE))).toBe(false);
  });

  it('releases the lock on a failure and on Ctrl-C', async () => {
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, '{"text": "fine"}\n{"text": \n');
    const output = join(work, 'failed');
    const failed = await runCli(['index', bad, '--output', output, '--yes', '-q']);
    expect(failed.code).toBe(1);
    expect(existsSync(join(output, OUTPUT_LOCK_FILE))).toBe(false);

    const interrupted = join(work, 'interrupted');
    const child = spawn(process.execPath, [CLI_BIN, 'index', corpus, '--output', interrupted, '--config', config, '--yes'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.resume();
    while (!existsSync(join(interrupted, OUTPUT_LOCK_FILE))) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).not.toBe(0);
    expect(existsSync(join(interrupted, OUTPUT_LOCK_FILE))).toBe(false);
  });
});

describe('an --output that cannot be written (issue 14 item 10)', () => {
  it('names the path and the fix for a file, a read-only folder and a path under a file, before any embedding', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const isFile = await index(file);
    expect(isFile.code).toBe(1);
    expect(isFile.stderr).toContain(`--output ${file} is a file`);
    expect(isFile.stderr).not.toMatch(/unexpected error|\n\s+at /);

    const under = await index(join(file, 'index'));
    expect(under.code).toBe(1);
    expect(under.stderr).toContain('is a file, not a folder');
    expect(under.stderr).not.toMatch(/unexpected error|ENOTDIR/);

    if (process.getuid?.() !== 0) {
      const readOnly = join(work, 'read-only');
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o500);
      const denied = await index(join(readOnly, 'index'));
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('permission denied');
      expect(denied.stderr).not.toContain('[embed]');
    }
  });

  // Real file systems: a read-only and a tiny tmpfs (needs root and mount; skipped where that is not allowed).
  const mountTmpfs = (folder: string, options: string) => {
    mkdirSync(folder, { recursive: true });
    return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', folder]).status === 0;
  };
  const unmount = (folder: string) => spawnSync('umount', [folder]);

  it('names a read-only --output and stops before embedding', async (context) => {
    const readOnly = join(work, 'ro-mount');
    if (!mountTmpfs(readOnly, 'ro,size=1m')) return context.skip();
    try {
      const result = await runCli(['index', corpus, '--output', join(readOnly, 'index'), '--config', config, '--yes']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('read-only');
      expect(result.stderr).toContain(join(readOnly, 'index'));
      expect(result.stderr).not.toMatch(/\[embed\]|unexpected error|\n\s+at /);
    } finally {
      unmount(readOnly);
    }
  });

  it('names a full disk mid-run and the fix, with no stack trace', async (context) => {
    const tiny = join(work, 'tiny-mount');
    if (!mountTmpfs(tiny, 'size=40k')) return context.skip();
    try {
      const result = await index(join(tiny, 'index'));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no space left');
      expect(result.stderr).toContain(tiny);
      expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(existsSync(join(tiny, 'index', 'manifest.json'))).toBe(false);
    } finally {
      unmount(tiny);
    }
  });
});

describe('an outputs path that is missing or a folder (issue 14 item 10)', () => {
  it('names the path and what to give instead', async () => {
    const built = join(work, 'for-annotate');
    expect((await index(built)).code).toBe(0);
    const missing = await runCli(['annotate', join(work, 'nope.jsonl'), '--index', built, '--yes']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${join(work, 'nope.jsonl')} does not exist`);
    const folder = await runCli(['annotate', work, '--index', built, '--yes']);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`${work} is a folder`);
    expect(folder.stderr).not.toMatch(/unexpected error|EISDIR/);
  });
});
