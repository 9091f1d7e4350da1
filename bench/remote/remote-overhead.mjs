// Overhead of `index --deploy-gpu` on a loopback sshd against a local run of the same index, and
// sync throughput (runRemoteIndex's SFTP sync) against rsync and scp over the same sshd.
// Usage: node bench/remote/remote-overhead.mjs [--size 5000] [--sync-mb 200]
// Needs /usr/sbin/sshd, tmux, rsync, scp, and built packages (pnpm build). Results: docs/benchmarks.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createReconnectingSsh, runRemoteIndex, syncIndex } from '../../packages/providers/dist/index.js';
import { wordNetSlice } from '../../examples/wordnet/wordnet-corpus.mjs';

const { values } = parseArgs({ options: { size: { type: 'string', default: '5000' }, 'sync-mb': { type: 'string', default: '200' }, 'sync-only': { type: 'boolean', default: false } } });
const size = Number(values.size);
const syncMb = Number(values['sync-mb']);
const work = mkdtempSync(join(tmpdir(), 'cp-bench-remote-'));
const cli = new URL('../../packages/cli/dist/bin.js', import.meta.url).pathname;
const seconds = (ms) => (ms / 1000).toFixed(1);

const sshd = await startSshd(join(work, 'sshd'));
try {
  const { corpus } = wordNetSlice({ size, seed: 7 });
  writeFileSync(join(work, 'glosses.jsonl'), corpus.map((record) => JSON.stringify(record)).join('\n') + '\n');
  writeFileSync(join(work, 'config.json'), JSON.stringify({ dimensions: 128, clustering: { maxDepth: 2 }, umap: { nComponents: 8 } }));
  const args = ['glosses.jsonl', '--config', 'config.json', '--seed', '3', '--yes', '--quiet'];
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  let started = performance.now();
  if (!values['sync-only']) {
  const local = spawnSync(process.execPath, [cli, 'index', ...args, '--output', 'local-index'], { cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: '1764500000' } });
  if (local.status !== 0) throw new Error(local.stderr.toString());
  const localMs = performance.now() - started;
  console.log(`local index of ${size} glosses: ${seconds(localMs)} s`);

  const provider = {
    specificationVersion: 'gpu-provider-v1',
    providerId: 'loopback',
    provision: async () => ({ providerId: 'loopback', id: 'lb', name: 'lb', status: 'RUNNING', createdByTool: true }),
    find: async () => undefined,
    list: async () => [],
    waitReady: async () => ({ host: '127.0.0.1', port: sshd.port, username: userInfo().username }),
    terminate: async () => undefined,
  };
  process.chdir(work);
  for (const label of ['cold (pack + install)', 'warm (tool already installed)']) {
    started = performance.now();
    const result = await runRemoteIndex({
      provider,
      output: join(work, `remote-index-${label.split(' ')[0]}`),
      inputs: [{ path: 'glosses.jsonl' }],
      configFile: 'config.json',
      indexArgs: ['--seed', '3'],
      sshKey: sshd.key,
      remoteRoot: join(work, 'host'),
      environment: { SOURCE_DATE_EPOCH: '1764500000' },
      install: { npmFlags: ['--prefer-offline'] },
      resume: false,
    });
    const totalMs = performance.now() - started;
    const steps = Object.entries(result.timings_ms).map(([step, ms]) => `${step} ${seconds(ms)}`).join(', ');
    console.log(`remote ${label}: ${seconds(totalMs)} s total, overhead ${seconds(totalMs - localMs)} s (${steps})`);
  }
  const same = ['embeddings.npy', 'tree.json', 'manifest.json'].every((name) => readFileSync(join(work, 'local-index', name)).equals(readFileSync(join(work, 'remote-index-warm', name))));
  console.log(`remote index identical to local: ${same}`);
  }

  // Sync throughput: one large file behind a manifest, pulled three ways over the same sshd.
  const remote = join(work, 'sync-source');
  mkdirSync(remote, { recursive: true });
  const data = randomBytes(syncMb * 1024 * 1024);
  writeFileSync(join(remote, 'embeddings.npy'), data);
  writeFileSync(join(remote, 'manifest.json'), JSON.stringify({ files: { 'embeddings.npy': { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length } } }));
  const ssh = createReconnectingSsh({ endpoint: { host: '127.0.0.1', port: sshd.port, username: userInfo().username }, privateKey: readFileSync(sshd.key) });
  const rate = (ms) => `${((data.length / 1024 / 1024) / (ms / 1000)).toFixed(0)} MB/s`;
  const sshOptions = ['-i', sshd.key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
  const figures = {};
  for (let round = 0; round < 2; round++) {
    started = performance.now();
    await ssh.session();
    await syncIndex(ssh, remote, join(work, `sync-ours-${round}`));
    figures.ours = Math.min(figures.ours ?? Infinity, performance.now() - started);
    started = performance.now();
    execFileSync('rsync', ['-a', '-e', `ssh -p ${sshd.port} ${sshOptions.join(' ')}`, `${userInfo().username}@127.0.0.1:${remote}/`, join(work, `sync-rsync-${round}`)]);
    figures.rsync = Math.min(figures.rsync ?? Infinity, performance.now() - started);
    started = performance.now();
    execFileSync('scp', ['-q', '-r', '-P', String(sshd.port), ...sshOptions, `${userInfo().username}@127.0.0.1:${remote}`, join(work, `sync-scp-${round}`)]);
    figures.scp = Math.min(figures.scp ?? Infinity, performance.now() - started);
    for (const name of ['ours', 'rsync', 'scp']) rmSync(join(work, `sync-${name}-${round}`), { recursive: true, force: true });
  }
  ssh.end();
  console.log(`sync of ${syncMb} MB (best of 2, sha256 check included for ours): ours ${rate(figures.ours)}, rsync ${rate(figures.rsync)}, scp ${rate(figures.scp)}; ours/rsync = ${(figures.rsync / figures.ours).toFixed(2)}`);
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  sshd.stop();
  rmSync(work, { recursive: true, force: true });
}

async function startSshd(directory) {
  mkdirSync(directory, { recursive: true });
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });
  for (const name of ['host', 'client']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(directory, name)]);
  writeFileSync(join(directory, 'authorized_keys'), readFileSync(join(directory, 'client.pub')));
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const config = [`ListenAddress 127.0.0.1`, `Port ${port}`, `HostKey ${join(directory, 'host')}`, `AuthorizedKeysFile ${join(directory, 'authorized_keys')}`,
    `PidFile ${join(directory, 'sshd.pid')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no', 'PermitRootLogin prohibit-password', 'Subsystem sftp internal-sftp'];
  writeFileSync(join(directory, 'sshd_config'), config.join('\n') + '\n');
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(directory, 'sshd_config')], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { port, key: join(directory, 'client'), stop: () => child.kill('SIGTERM') };
}
