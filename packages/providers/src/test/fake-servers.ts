/** The fake RunPod and Vast servers without the vitest suite, for scripts and benchmarks run outside vitest. */
export { startFakeRunPod, fakeRunPodGpuTypes, type FakeRunPod, type FakeRunPodOptions, type FakeRunPodPod, type FakeRunPodGpuType } from './start-fake-runpod.js';
export { startFakeVast, fakeVastAsks, type FakeVast, type FakeVastOptions, type FakeVastInstance, type FakeVastAsk } from './start-fake-vast.js';
export type { FakeApiServer, FakeFault, FakeSshEndpoint, RecordedApiRequest } from './fake-api-server.js';
