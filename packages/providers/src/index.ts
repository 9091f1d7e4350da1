export type { GpuRequest, GpuInstance, GpuOffer, SshEndpoint, GpuProviderV1 } from './gpu-provider-spec.js';
export { createRunPodProvider, type RunPodProviderSettings } from './runpod/create-runpod-provider.js';
export { createVastProvider, type VastProviderSettings } from './vast/create-vast-provider.js';
export { createSshProvider, type SshProviderSettings } from './ssh/create-ssh-provider.js';
export { parseSshTarget, formatSshTarget, type SshTarget } from './ssh/parse-ssh-target.js';
export { resolveProvider, builtInProviders, type BuiltInProviderName, type GpuProviderFactory, type ResolveProviderSettings } from './resolve-provider.js';
export { ProviderError, MissingApiKeyError, ProviderTimeoutError, NoOfferError, type ProviderErrorCode } from './provider-error.js';
export { TAG_ENV, taggedName } from './instance-tags.js';
export type { RetryPolicy } from './http/retry-policy.js';
