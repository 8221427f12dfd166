import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/remove-temp-dirs.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    // Two workers on this 2-core machine: the suite is CPU-bound in-process and waits on git, helm
    // and kustomize children; one worker per core keeps both busy (vitest defaults to cores - 1).
    maxWorkers: 2,
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
