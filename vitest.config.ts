import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    // Each integration file opens its own PGlite (initdb + migrations take ~3-4 s on these
    // machines) and, with DATABASE_URL, creates and migrates its own PostgreSQL database.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    pool: "forks",
    // The machines have 2 cores; argon2 and PGlite are CPU-bound, so more workers only queue.
    maxWorkers: 2,
  },
});
