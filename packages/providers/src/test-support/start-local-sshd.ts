import { startTestSshd, type TestSshd } from '../remote/test-support/start-test-sshd.js';

/** A real sshd on 127.0.0.1 for the provider tests; they use its host and port (reachability). */
export type LocalSshd = TestSshd;

/** Starts Debian's sshd on a free port with its own host key: the remote tests' starter, shared. */
export const startLocalSshd: () => Promise<LocalSshd> = startTestSshd;
