export type { GpuRequest, GpuInstance, SshEndpoint, GpuProviderV1 } from './gpu-provider-spec.js';
export { runRemoteIndex, REMOTE_TAG, type RunRemoteIndexOptions, type RunRemoteIndexResult, type RemoteStepName } from './remote/run-remote-index.js';
export { RemoteRunError, type RemoteRunErrorCode } from './remote/remote-run-error.js';
export { readRunRecord, resolveRunDirectory, findUnfinishedRun, runRecordPaths, type RemoteRunRecord, type RemoteRunStep } from './remote/run-record.js';
export { hostKeyFingerprint } from './remote/host-key-fingerprint.js';
export { shellQuote } from './remote/shell-quote.js';
export { refreshRemoteRun, type RemoteRunState, type RemoteRunAccess } from './remote/remote-run-commands.js';
