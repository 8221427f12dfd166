import { Worker } from "node:worker_threads";

/**
 * Names an inventory file whose loading blocks the process (a synchronous endless loop), which no
 * timer on the main thread can see: a worker thread watches the file being loaded and, when the same
 * file is still loading after the limit, writes its name to stderr itself and ends the process. It
 * must kill (SIGKILL): the main thread is stuck in the file's code and runs no handler. Nothing has
 * been written then (loading comes before any output), so dist/ is untouched.
 */
export interface LoadWatchdog {
  /** The file whose loading starts now. */
  loading(file: string): void;
  /** Loading is over (finished or failed): the worker ends. */
  stop(): void;
}

const NAME_BYTES = 4096;

// Plain JavaScript run by the worker (eval): the shared state is [generation, stopped], then the name.
const WATCHER = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const state = new Int32Array(workerData.shared, 0, 2);
const name = new Uint8Array(workerData.shared, 8);
for (;;) {
  const generation = Atomics.load(state, 0);
  if (Atomics.load(state, 1) === 1) break;
  const woke = Atomics.wait(state, 0, generation, workerData.ms);
  if (Atomics.load(state, 1) === 1) break;
  if (woke === "timed-out" && Atomics.load(state, 0) === generation && generation > 0) {
    const end = name.indexOf(0);
    const file = new TextDecoder().decode(name.subarray(0, end < 0 ? name.length : end));
    writeSync(2, file + ": cannot be loaded: did not finish loading within " + workerData.ms / 1000 +
      " s and blocks the process (an endless loop in it, or in a file it imports?)\\n");
    process.kill(process.pid, "SIGKILL");
  }
}
`;

export function startLoadWatchdog(limitMs: number): LoadWatchdog {
  const shared = new SharedArrayBuffer(8 + NAME_BYTES);
  const state = new Int32Array(shared, 0, 2);
  const name = new Uint8Array(shared, 8);
  const worker = new Worker(WATCHER, { eval: true, workerData: { shared, ms: limitMs } });
  worker.unref();
  return {
    loading(file) {
      name.fill(0);
      new TextEncoder().encodeInto(file.slice(0, NAME_BYTES / 4), name);
      Atomics.add(state, 0, 1);
      Atomics.notify(state, 0);
    },
    stop() {
      Atomics.store(state, 1, 1);
      Atomics.add(state, 0, 1);
      Atomics.notify(state, 0);
    },
  };
}
