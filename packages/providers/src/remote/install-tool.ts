import { basename, posix } from 'node:path';
import type { ToolPackage } from './pack-workspace.js';
import type { RemoteLayout } from './remote-layout.js';
import { RemoteRunError } from './remote-run-error.js';
import { shellCommand, shellQuote } from './shell-quote.js';
import type { SshSession } from './ssh-session.js';

/** How the tool gets onto the host: tarballs packed from this checkout, or a published version from the registry. */
export type ToolSource = ToolPackage | { key: string; registryVersion: string };

/** Install settings. */
export interface InstallToolOptions {
  /** Extra npm packages to install next to the tool (e.g. "@huggingface/transformers@^4.3.1" for ONNX embedders). */
  extraPackages?: readonly string[];
  /** Extra `npm install` flags, e.g. ["--prefer-offline"]. */
  npmFlags?: readonly string[];
  /** onnxruntime-node's CUDA download: 'auto' (cuda12 when nvidia-smi exists on the host, else skip). */
  onnxRuntimeInstall?: 'auto' | 'cuda12' | 'skip';
  abortSignal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/**
 * Installs the tool into <root>/tool/<key>/ unless that exact build is already there (the
 * `.installed` marker), so repeating a run skips the install. Needs node and npm on the host.
 */
export async function installTool(session: SshSession, layout: RemoteLayout, tool: ToolSource, options: InstallToolOptions = {}): Promise<{ skipped: boolean }> {
  const extras = options.extraPackages ?? [];
  // The layout's tool key covers the build and the extra packages, so one marker says it all.
  if ((await session.stat(layout.toolInstalled))?.isFile) return { skipped: true };
  const probe = await session.exec('command -v node >/dev/null && command -v npm >/dev/null && node -p process.versions.node; command -v nvidia-smi >/dev/null && echo gpu || true', {
    abortSignal: options.abortSignal,
  });
  const [nodeVersion = '', gpu] = probe.stdout.trim().split('\n');
  if (!/^\d+\./.test(nodeVersion) || Number(nodeVersion.split('.')[0]) < 20) {
    throw new RemoteRunError('install-failed', `the host has no Node.js 20+ and npm (found ${nodeVersion || 'none'}): use an image with Node 20 or newer, or install it on the host first`, {
      step: 'install',
    });
  }
  await session.mkdir(layout.tool);
  const dependencies: Record<string, string> = {};
  if ('tarballs' in tool) {
    for (const tarball of tool.tarballs) {
      options.onProgress?.(`uploading ${basename(tarball)}`);
      await session.upload(tarball, posix.join(layout.tool, basename(tarball)));
      dependencies[packageNameOf(basename(tarball))] = `file:./${basename(tarball)}`;
    }
  } else {
    dependencies['corpus-proximity'] = tool.registryVersion;
  }
  await session.writeFile(posix.join(layout.tool, 'package.json'), `${JSON.stringify({ private: true, dependencies }, null, 2)}\n`);
  const onnx = options.onnxRuntimeInstall === undefined || options.onnxRuntimeInstall === 'auto' ? (gpu === 'gpu' ? 'cuda12' : 'skip') : options.onnxRuntimeInstall;
  options.onProgress?.(`npm install on the host (onnxruntime-node download: ${onnx})`);
  const command =
    `cd ${shellQuote(layout.tool)} && ONNXRUNTIME_NODE_INSTALL=${onnx} ` +
    shellCommand(['npm', 'install', '--no-audit', '--no-fund', '--omit=dev', ...(options.npmFlags ?? []), ...extras]) +
    ' > npm-install.log 2>&1; code=$?; tail -n 40 npm-install.log; exit $code';
  const result = await session.exec(command, { abortSignal: options.abortSignal });
  if (result.code !== 0) {
    throw new RemoteRunError('install-failed', `npm install on the host failed (exit ${result.code}):\n${result.stdout}${result.stderr}`, { step: 'install' });
  }
  await session.writeFile(layout.toolInstalled, `${new Date().toISOString()}\n`);
  return { skipped: false };
}

/** "corpus-proximity-core-0.1.0.tgz" → "@corpus-proximity/core"; "corpus-proximity-0.1.0.tgz" → "corpus-proximity". */
function packageNameOf(tarball: string): string {
  const stem = tarball.replace(/-\d+\.\d+\.\d+(?:-[\w.]+)?\.tgz$/, '');
  return stem === 'corpus-proximity' ? stem : `@corpus-proximity/${stem.replace(/^corpus-proximity-/, '')}`;
}
