import type { ProgressListener } from '@corpus-proximity/core';

/** What to rent: the cheapest offer that meets every bound is taken. */
export interface GpuRequest {
  /** Instance name; also how a later run finds it again (`--use-existing NAME`). */
  name: string;
  /** Tag every instance this tool creates carries, so `remote list` / `remote cleanup` find them. */
  tag: string;
  /** GPU type filter, e.g. "H100" or "RTX 4090" (provider-specific matching, case-insensitive). */
  gpuType?: string;
  gpuCount: number;
  /** Container image, e.g. "runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04". */
  image: string;
  diskGb: number;
  /** Least GPU memory per GPU, in GB. */
  minVramGb?: number;
  /** Least system memory for the whole instance, in GB. */
  minRamGb?: number;
  /** Highest price accepted, USD per hour for the whole instance. */
  maxPricePerHour?: number;
  /** Public key installed for root (OpenSSH one-line format). */
  sshPublicKey: string;
}

/** One rented (or existing) machine as the provider knows it. */
export interface GpuInstance {
  providerId: string;
  /** Provider's id (pod id, contract id, or user@host:port for the SSH provider). */
  id: string;
  name: string;
  tag?: string;
  /** Provider's status word, e.g. "RUNNING", "loading", "exited". */
  status: string;
  gpuType?: string;
  pricePerHour?: number;
  /** True when this tool created it (and so may destroy it); false for hosts given by the user. */
  createdByTool: boolean;
}

/** Where to reach an instance over SSH. */
export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
}

/** One offer a provider would rent for a request, cheapest first (optional `offers()`). */
export interface GpuOffer {
  /** Provider's offer id (RunPod: "<gpuTypeId>/<cloudType>", Vast: the ask id). */
  id: string;
  gpuType: string;
  gpuCount: number;
  vramGb?: number;
  /** USD per hour for the whole instance. */
  pricePerHour: number;
}

/** A GPU provider plugin: RunPod, Vast, an existing SSH host, or a user's own. */
export interface GpuProviderV1 {
  readonly specificationVersion: 'gpu-provider-v1';
  /** Short id, e.g. "runpod", "vast", "ssh". */
  readonly providerId: string;
  /** Rents an instance; never leaves an instance it cannot report (looks it up by name after a failed create). */
  provision(request: GpuRequest, options?: { abortSignal?: AbortSignal; onProgress?: ProgressListener }): Promise<GpuInstance>;
  /** Finds an instance by name or id (`--use-existing`); undefined when there is none. */
  find(nameOrId: string, options?: { abortSignal?: AbortSignal }): Promise<GpuInstance | undefined>;
  /** Every instance carrying this tag. */
  list(tag: string, options?: { abortSignal?: AbortSignal }): Promise<GpuInstance[]>;
  /** Waits until the instance is running and reachable over SSH; throws after timeoutMs. */
  waitReady(
    instance: GpuInstance,
    options: { timeoutMs: number; pollMs?: number; abortSignal?: AbortSignal; onProgress?: ProgressListener },
  ): Promise<SshEndpoint>;
  /** Destroys the instance (never merely stops it: a stopped instance still bills for its disk). */
  terminate(instance: GpuInstance, options?: { abortSignal?: AbortSignal; onProgress?: ProgressListener }): Promise<void>;
  /** Optional: the offers that fit a request, cheapest first (what `provision` would pick from). */
  offers?(request: GpuRequest, options?: { abortSignal?: AbortSignal }): Promise<GpuOffer[]>;
}
