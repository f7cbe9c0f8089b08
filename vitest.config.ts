import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Timed assertions belong in bench/; tests only guard against hangs.
    testTimeout: 20_000,
  },
});
