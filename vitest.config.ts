import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Timed assertions belong in bench/; tests only guard against hangs.
    testTimeout: 20_000,
    // In CI, also write the results as JSON: .ci/run prints the plain "N passed, N failed" line from it.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
