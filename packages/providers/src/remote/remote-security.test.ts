import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Bytes } from '@corpus-proximity/core/internal';
import { createReconnectingSsh } from './reconnecting-ssh.js';
import { environmentFile } from './remote-layout.js';
import { RemoteRunError } from './remote-run-error.js';
import { safeSyncPath } from './safe-sync-path.js';
import { shellCommand, shellQuote } from './shell-quote.js';
import { syncIndex } from './sync-index.js';
import { hasSshdAndTmux, startTestSshd, type TestSshd } from './test-support/start-test-sshd.js';

const work = mkdtempSync(join(tmpdir(), 'cp-remote-security-'));
const hostile = [`a b`, `it's`, `"dq"`, '$(touch PWNED)', '`touch PWNED`', '$HOME', '*', 'semi;colon && echo', 'new\nline', '-n', ''];

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('shellQuote', () => {
  it('gives every word back unchanged through a real shell, expanding nothing', () => {
    for (const word of hostile) {
      const printed = execFileSync('/bin/sh', ['-c', `cd ${shellQuote(work)} && printf '%s' ${shellQuote(word)}`], { encoding: 'utf8' });
      expect(printed).toBe(word);
    }
    expect(execFileSync('/bin/sh', ['-c', `printf '%s|' ${shellCommand(hostile)}`], { encoding: 'utf8' })).toBe(hostile.map((word) => `${word}|`).join(''));
    expect(existsSync(join(work, 'PWNED'))).toBe(false);
  });

  it('writes environment files a shell reads back exactly, and refuses odd variable names', () => {
    const file = join(work, 'environment.sh');
    writeFileSync(file, environmentFile({ OPENAI_API_KEY: `sk-'$(touch PWNED)"`, OTHER: 'x y' }));
    const printed = execFileSync('/bin/sh', ['-c', `set -a; . ${shellQuote(file)}; printf '%s|%s' "$OPENAI_API_KEY" "$OTHER"`], { encoding: 'utf8' });
    expect(printed).toBe(`sk-'$(touch PWNED)"|x y`);
    expect(() => environmentFile({ 'A;B': 'x' })).toThrow(/not an environment variable name/);
  });
});

describe('safeSyncPath', () => {
  const target = join(work, 'target');
  beforeAll(() => {
    mkdirSync(join(target, 'embedder'), { recursive: true });
    mkdirSync(join(work, 'outside'), { recursive: true });
    symlinkSync(join(work, 'outside'), join(target, 'escape'));
    symlinkSync(join(work, 'outside', 'file'), join(target, 'link.json'));
  });

  it('accepts plain relative names inside the target', async () => {
    expect(await safeSyncPath(target, 'embeddings.npy')).toBe(join(target, 'embeddings.npy'));
    expect(await safeSyncPath(target, 'embedder/vocab.json')).toBe(join(target, 'embedder', 'vocab.json'));
  });

  it.each([
    ['/etc/passwd', /absolute/],
    ['\\\\server\\share', /absolute/],
    ['../x.json', /contains "\.\."/],
    ['embedder/../../x', /contains "\.\."/],
    ['a//b', /empty or "\." part/],
    ['./x', /empty or "\." part/],
    ['escape/file.json', /outside the target, through a symlink/],
    ['link.json', /through a dangling symlink|outside the target/],
  ])('refuses %s', async (name, why) => {
    const error = await safeSyncPath(target, name).catch((caught: unknown) => caught);
    expect(RemoteRunError.isInstance(error) && error.code).toBe('unsafe-path');
    expect((error as Error).message).toMatch(why);
  });
});

const describeSsh = hasSshdAndTmux() ? describe : describe.skip;

describeSsh('syncIndex against a hostile remote manifest (real sshd)', () => {
  let sshd: TestSshd;
  beforeAll(async () => {
    sshd = await startTestSshd();
  });
  afterAll(async () => sshd?.close());

  it('refuses a manifest naming a file outside the target and writes nothing outside it', async () => {
    const remote = join(work, 'remote-output');
    mkdirSync(remote, { recursive: true });
    writeFileSync(join(work, 'stolen.txt'), 'remote content');
    const content = readFileSync(join(work, 'stolen.txt'));
    writeFileSync(
      join(remote, 'manifest.json'),
      JSON.stringify({ format: 'corpus-proximity-index', files: { 'ok.json': { sha256: sha256Bytes('{}'), bytes: 2 }, '../../planted.txt': { sha256: sha256Bytes(content), bytes: content.length } } }),
    );
    writeFileSync(join(remote, 'ok.json'), '{}');
    const ssh = createReconnectingSsh({ endpoint: { host: sshd.host, port: sshd.port, username: sshd.username }, privateKey: readFileSync(sshd.privateKeyPath) });
    try {
      const error = await syncIndex(ssh, remote, join(work, 'synced')).catch((caught: unknown) => caught);
      expect(RemoteRunError.isInstance(error) && error.code).toBe('unsafe-path');
      expect(existsSync(join(work, 'planted.txt'))).toBe(false);
      expect(existsSync(join(work, 'synced', 'manifest.json'))).toBe(false);
    } finally {
      ssh.end();
    }
  });

  it('refuses a file whose sha256 differs from the manifest, keeping no copy', async () => {
    const remote = join(work, 'remote-tampered');
    mkdirSync(remote, { recursive: true });
    writeFileSync(join(remote, 'manifest.json'), JSON.stringify({ format: 'corpus-proximity-index', files: { 'tree.json': { sha256: sha256Bytes('{"a":1}'), bytes: 7 } } }));
    writeFileSync(join(remote, 'tree.json'), '{"a":2}');
    const ssh = createReconnectingSsh({ endpoint: { host: sshd.host, port: sshd.port, username: sshd.username }, privateKey: readFileSync(sshd.privateKeyPath) });
    try {
      const error = await syncIndex(ssh, remote, join(work, 'synced-tampered')).catch((caught: unknown) => caught);
      expect(RemoteRunError.isInstance(error) && error.code).toBe('checksum-mismatch');
      expect(existsSync(join(work, 'synced-tampered', 'tree.json'))).toBe(false);
      expect(existsSync(join(work, 'synced-tampered', 'tree.json.partial'))).toBe(false);
    } finally {
      ssh.end();
    }
  });
});
