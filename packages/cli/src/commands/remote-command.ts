import type { Command } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { createProgressReporter } from '../progress.js';
import { resolveCliProvider } from '../remote-provider.js';
import { UsageError } from '../usage-error.js';
import { FORWARDED_ENVIRONMENT } from './remote-index.js';

/** Registers `remote status|sync|attach <run>`, `remote list` and `remote cleanup`. */
export function registerRemoteCommand(program: Command): void {
  const remote = program
    .command('remote')
    .description('Follow, sync and clean up runs started with `index --deploy-gpu` (records in remote_results/)')
    .addHelpText(
      'after',
      `
Examples:
  $ corpus-proximity remote status 20261130T190102Z
  $ corpus-proximity remote attach remote_results/clustering_20261130T190102Z
  $ corpus-proximity remote sync 20261130T190102Z
  $ corpus-proximity remote list --provider runpod
  $ corpus-proximity remote cleanup --provider vast`,
    );
  const runOptions = (command: Command) =>
    command
      .option('--ssh-key <path>', 'private SSH key (default SSH_KEY_PATH or ~/.ssh/id_ed25519)')
      .option('--results <dir>', 'folder of run records', 'remote_results');

  runOptions(remote.command('status').argument('<run>', 'run folder or its timestamp').description('Where a run is: its step, instance, pulled shards and the remote log tail')).action(
    async (run: string, flags: RunFlags) => {
      const { refreshRemoteRun, resolveRunDirectory } = await import('@corpus-proximity/providers');
      const runDirectory = await resolveRunDirectory(run, flags.results);
      const { record, remote: state } = await refreshRemoteRun({ runDirectory, sshKey: sshKeyOf(flags), sync: false });
      const lines = [
        `run:      ${runDirectory}`,
        `step:     ${record.step}${record.exit_code !== undefined ? ` (exit code ${record.exit_code})` : ''}`,
        `output:   ${record.output}`,
        `provider: ${record.provider}${record.instance ? ` · instance ${record.instance.id}${record.instance.createdByTool ? '' : ' (existing host, never destroyed)'}` : ' · no instance'}`,
        `endpoint: ${record.endpoint ? `${record.endpoint.username}@${record.endpoint.host}:${record.endpoint.port}` : '-'} · host key ${record.host_key ?? '-'}`,
        `remote:   ${state.state}${state.reason ? ` (${state.reason})` : ''}`,
        `shards:   ${record.shards_pulled.length} pulled`,
      ];
      if (record.error) lines.push(`error:    ${record.error.split('\n')[0]}`);
      const log = await readFile(join(runDirectory, 'pipeline.log'), 'utf8').catch(() => '');
      if (log) lines.push('pipeline.log (last lines):', ...log.trimEnd().split('\n').slice(-10).map((line) => `  ${line}`));
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  );

  runOptions(remote.command('sync').argument('<run>', 'run folder or its timestamp').description('Pull the log and checkpoint shards; when the remote run is finished, sync the index into its output folder')).action(
    async (run: string, flags: RunFlags) => {
      const { refreshRemoteRun, resolveRunDirectory } = await import('@corpus-proximity/providers');
      const runDirectory = await resolveRunDirectory(run, flags.results);
      const progress = createProgressReporter();
      const result = await refreshRemoteRun({ runDirectory, sshKey: sshKeyOf(flags), sync: true, onProgress: (done, total, message) => progress({ stage: 'sync', done, total, message }) });
      progress.finish();
      if (result.synced) process.stderr.write(`index synced to ${result.record.output}\n`);
      else {
        process.stderr.write(`nothing to sync yet: the remote run is ${result.remote.state}${result.remote.reason ? ` (${result.remote.reason})` : ''}; ${result.record.shards_pulled.length} checkpoint shard(s) pulled\n`);
        if (result.remote.state === 'failed' || result.remote.state === 'unreachable') process.exitCode = 1;
      }
    },
  );

  runOptions(remote.command('attach').argument('<run>', 'run folder or its timestamp').description('Follow a run to the end (streaming its log), sync the index and terminate as the run was set up; restarts it on a new instance if it was lost'))
    .option('--provider <name>', 'provider of the run (default: the one recorded)')
    .action(async (run: string, flags: RunFlags & { provider?: string }) => {
      const { readRunRecord, resolveRunDirectory, runRemoteIndex } = await import('@corpus-proximity/providers');
      const runDirectory = await resolveRunDirectory(run, flags.results);
      const record = await readRunRecord(runDirectory);
      if (record.step === 'done') {
        process.stderr.write(`${runDirectory} is finished; its index is in ${record.output}\n`);
        return;
      }
      const provider = await resolveCliProvider(flags.provider ?? record.provider, { useExisting: record.instance?.createdByTool === false ? record.instance.id : undefined });
      const progress = createProgressReporter();
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        await runRemoteIndex({
          provider,
          output: record.output,
          resume: runDirectory,
          sshKey: sshKeyOf(flags),
          useExisting: record.instance?.createdByTool === false ? record.instance.id : undefined,
          keepRunning: record.keep_running,
          resultsDirectory: flags.results,
          // Needed only if the pipeline must be started again (instance lost): the same variables as index --deploy-gpu.
          environment: forwardedEnvironment(),
          onProgress: progress,
          onLog: (line) => {
            progress.finish();
            process.stderr.write(`remote: ${line}\n`);
          },
          onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
          abortSignal: controller.signal,
        });
        progress.finish();
        process.stderr.write(`index synced to ${record.output}\n`);
      } finally {
        process.off('SIGINT', onSignal);
      }
    });

  remote
    .command('list')
    .description('Instances this tool created (by tag), and unfinished runs in remote_results/')
    .option('--provider <name>', 'runpod | vast | ssh (default: runpod and vast, where their API key is set)')
    .option('--results <dir>', 'folder of run records', 'remote_results')
    .action(async (flags: { provider?: string; results: string }) => {
      const { REMOTE_TAG } = await import('@corpus-proximity/providers');
      for (const name of providerNames(flags.provider)) {
        const provider = await resolveCliProvider(name);
        const instances = await provider.list(REMOTE_TAG);
        process.stdout.write(`${name}: ${instances.length} instance(s) tagged ${REMOTE_TAG}\n`);
        for (const instance of instances) {
          process.stdout.write(`  ${instance.id}  ${instance.name}  ${instance.status}${instance.gpuType ? `  ${instance.gpuType}` : ''}${instance.pricePerHour !== undefined ? `  $${instance.pricePerHour}/h` : ''}\n`);
        }
      }
    });

  remote
    .command('cleanup')
    .description('Terminate every instance this tool created (tagged) that is still running')
    .option('--provider <name>', 'runpod | vast (default: both, where their API key is set)')
    .action(async (flags: { provider?: string }) => {
      const { REMOTE_TAG } = await import('@corpus-proximity/providers');
      let terminated = 0;
      for (const name of providerNames(flags.provider)) {
        const provider = await resolveCliProvider(name);
        for (const instance of await provider.list(REMOTE_TAG)) {
          if (!instance.createdByTool) continue;
          await provider.terminate(instance);
          terminated++;
          process.stdout.write(`terminated ${name} ${instance.id} (${instance.name})\n`);
        }
      }
      process.stdout.write(`${terminated} instance(s) terminated\n`);
    });
}

interface RunFlags {
  sshKey?: string;
  results: string;
}

function forwardedEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of FORWARDED_ENVIRONMENT) if (process.env[name] !== undefined) environment[name] = process.env[name]!;
  return environment;
}

function sshKeyOf(flags: { sshKey?: string }): string {
  return flags.sshKey ?? process.env.SSH_KEY_PATH ?? join(homedir(), '.ssh', 'id_ed25519');
}

function providerNames(provider: string | undefined): string[] {
  if (provider !== undefined) return [provider];
  const names = [...(process.env.RUNPOD_API_KEY ? ['runpod'] : []), ...(process.env.VAST_API_KEY ? ['vast'] : [])];
  if (names.length === 0) throw new UsageError('remote: give --provider runpod|vast (or set RUNPOD_API_KEY / VAST_API_KEY)');
  return names;
}
