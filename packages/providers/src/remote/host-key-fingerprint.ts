import { createHash } from 'node:crypto';

/** The `ssh-keygen -lf` form of a host key: "SHA256:" + base64(sha256(key blob)) without padding. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
