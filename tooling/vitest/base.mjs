// Shared vitest settings: every package's tests run in forked processes (DuckDB and the
// simulator open native handles and sockets) with timeouts sized for a 2-core CI machine.
import { defineConfig } from "vitest/config"

export const base = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    sequence: { hooks: "list" }
  }
})
