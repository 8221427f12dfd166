/** Where bin/run.mjs leaves the name of the code it runs (see there). */
export const CODE_IDENTITY = Symbol.for("waterschap-platform.code-identity");

/**
 * A name for exactly the code this process runs: the bundle (named by the content of every source
 * file) and the dependency versions (package-lock.json), as the launcher computed them. Undefined when
 * the code was not started by the launcher (a test runner): then nothing may be remembered by it.
 */
export function runningCodeIdentity(): string | undefined {
  const identity = (globalThis as Record<symbol, unknown>)[CODE_IDENTITY];
  return typeof identity === "string" ? identity : undefined;
}
