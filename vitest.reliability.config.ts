import { defineConfig } from "vitest/config";

/** `npm run test:reliability`: crash, outage, concurrency, fuzz, scope, privacy and soak (also run by .ci/run). */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
