import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { wordNetSlice } from '../../../examples/wordnet/wordnet-corpus.mjs';
import { hasSshdAndTmux, startTestSshd, type TestSshd } from '../../providers/src/remote/test-support/start-test-sshd.js';
import { CLI_BIN, runCli } from './test-support/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'cp-remote-e2e-'));
const host = join(work, 'host');
const environment = { SOURCE_DATE_EPOCH: '1764500000', OPENAI_API_KEY: 'sk-e2e-' + 'never-leaks-7d3a' };
let sshd: TestSshd;

const describeSsh = hasSshdAndTmux() ? describe : describe.skip;

beforeAll(async () => {
  if (!hasSshdAndTmux()) return;
  sshd = await startTestSshd();
  const { corpus } = wordNetSlice({ size: 600, seed: 11 }) as { corpus: Array<Record<string, unknown>> };
  writeFileSync(join(work, 'wordnet.jsonl'), corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
  writeFileSync(join(work, 'config.json'), JSON.stringify({ dimensions: 48, clustering: { maxDepth: 2 }, umap: { nComponents: 6 } }));
}, 60_000);

afterAll(async () => {
  await sshd?.close();
  rmSync(work, { recursive: true, force: true });
});

const common = ['wordnet.jsonl', '--config', 'config.json', '--seed', '3', '--checkpoint-every', '200', '--yes'];
const remote = () => ['--deploy-gpu', '--use-existing', sshd.target, '--ssh-key', sshd.privateKeyPath, '--remote-dir', host];

describeSsh('index --deploy-gpu on a loopback sshd', () => {
  it('gives the same index, byte for byte, as the same command run locally', async () => {
    const local = await runCli(['index', ...common, '--output', 'local-index'], { cwd: work, env: environment });
    expect(local.stderr).toContain('index written');
    const remoteRun = await runCli(['index', ...common, '--output', 'remote-index', ...remote()], { cwd: work, env: environment });
    expect(remoteRun.stderr).toContain('index synced to remote-index');
    expect(remoteRun.code).toBe(0);
    expect(remoteRun.stderr).toContain('remote: index written');
    const manifest = JSON.parse(readFileSync(join(work, 'local-index', 'manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    const names = ['manifest.json', ...Object.keys(manifest.files)];
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) expect(readFileSync(join(work, 'remote-index', name)).equals(readFileSync(join(work, 'local-index', name))), name).toBe(true);
    // Nothing but the index (and its build log) came back.
    const synced = readdirSync(join(work, 'remote-index'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(join(work, 'remote-index').length + 1));
    expect(synced.sort()).toEqual([...names, 'build-log.json'].sort());

    const runs = readdirSync(join(work, 'remote_results'));
    expect(runs).toHaveLength(1);
    const status = await runCli(['remote', 'status', runs[0]!.replace('clustering_', ''), '--ssh-key', sshd.privateKeyPath], { cwd: work });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/step: +done/);
    expect(status.stdout).toContain('existing host, never destroyed');
    // The existing host stays, its run folder is cleaned up, and the API key is in no file of the run.
    expect(existsSync(join(host, 'runs', runs[0]!))).toBe(false);
    for (const entry of readdirSync(join(work, 'remote_results'), { recursive: true, withFileTypes: true }).filter((item) => item.isFile())) {
      expect(readFileSync(join(entry.parentPath, entry.name), 'utf8')).not.toContain(environment.OPENAI_API_KEY);
    }

    // Running the same command again (a new run) skips the install: the same tool is on the host.
    const again = await runCli(['index', ...common, '--output', 'remote-index-2', ...remote()], { cwd: work, env: environment });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('tool already installed on the host');
  }, 600_000);

  it('picks a run up with `remote attach` after the local process was killed mid-run', async () => {
    const before = new Set(readdirSync(join(work, 'remote_results')));
    const child = spawn(process.execPath, [CLI_BIN, 'index', ...common, '--output', 'attached-index', ...remote()], { cwd: work, env: { ...process.env, ...environment } });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        // The pipeline is running in tmux on the host: kill the local side without any cleanup.
        if (stderr.includes('remote: ')) child.kill('SIGKILL');
      });
      child.on('close', () => resolve());
    });
    const run = readdirSync(join(work, 'remote_results')).find((name) => !before.has(name))!;
    const status = await runCli(['remote', 'status', run, '--ssh-key', sshd.privateKeyPath], { cwd: work });
    expect(status.stdout).toMatch(/step: +run/);
    expect(status.stdout).toMatch(/remote: +(running|complete)/);
    const attached = await runCli(['remote', 'attach', join('remote_results', run), '--ssh-key', sshd.privateKeyPath], { cwd: work, env: environment });
    expect(attached.code).toBe(0);
    expect(attached.stderr).toContain('index synced to');
    for (const name of ['manifest.json', 'embeddings.npy', 'tree.json', 'metadata.jsonl']) {
      expect(readFileSync(join(work, 'attached-index', name)).equals(readFileSync(join(work, 'local-index', name))), name).toBe(true);
    }
    const again = await runCli(['remote', 'status', run, '--ssh-key', sshd.privateKeyPath], { cwd: work });
    expect(again.stdout).toMatch(/step: +done/);
  }, 300_000);

  it('exits non-zero and shows the remote log when the remote pipeline fails', async () => {
    const result = await runCli(['index', ...common, '--text-field', 'no_such_field', '--output', 'failed-index', ...remote()], { cwd: work, env: environment });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/remote pipeline failed with exit code \d+/);
    expect(result.stderr).toContain('no_such_field');
    expect(result.stderr).not.toContain('    at ');
    expect(existsSync(join(work, 'failed-index', 'manifest.json'))).toBe(false);
  }, 300_000);

  it('names a missing SSH key and a bad --use-existing target clearly', async () => {
    const noKey = await runCli(['index', ...common, '--output', 'x', '--deploy-gpu', '--use-existing', sshd.target, '--ssh-key', join(work, 'nope')], { cwd: work });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(`--ssh-key ${join(work, 'nope')}: no such file`);
    const badTarget = await runCli(['index', ...common, '--output', 'x', '--deploy-gpu', '--provider', 'ssh', '--use-existing', 'not a host', '--ssh-key', sshd.privateKeyPath], { cwd: work });
    expect(badTarget.code).not.toBe(0);
    expect(badTarget.stderr).toMatch(/--use-existing not a host|not a host/);
    expect(badTarget.stderr).not.toContain('    at ');
    const list = await runCli(['remote', 'list', '--provider', 'ssh'], { cwd: work });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('ssh: 0 instance(s) tagged corpus-proximity');
    const unknownRun = await runCli(['remote', 'status', '19990101T000000Z'], { cwd: work });
    expect(unknownRun.code).toBe(1);
    expect(unknownRun.stderr).toContain('no remote run "19990101T000000Z"');
    expect(unknownRun.stderr).not.toContain('    at ');
  }, 120_000);
});
