export type { GpuRequest, GpuInstance, SshEndpoint, GpuProviderV1 } from './gpu-provider-spec.js';
