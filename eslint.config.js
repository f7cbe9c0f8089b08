import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The pure layers (definition, expr, docs) must not reach I/O: time and files arrive as arguments.
const pureLayerImports = {
  paths: [
    "node:fs",
    "node:fs/promises",
    "node:net",
    "node:child_process",
    "pg",
    "better-sqlite3",
    "pino",
  ].map((name) => ({ name, message: "the pure core does no I/O: take the data as an argument" })),
  patterns: [
    {
      group: ["**/cli/**", "**/store/**", "**/runtime/**", "**/api/**"],
      message: "the pure core imports no edge layer",
    },
  ],
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "docs/**", "schema/**", "scratch/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: [
      "src/definition/**/*.ts",
      "src/expr/**/*.ts",
      "src/docs/**/*.ts",
      "src/engine/**/*.ts",
      "src/audit/**/*.ts",
    ],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", pureLayerImports],
      // Time and randomness arrive as arguments, so that a transition can be replayed.
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "pass the time in (`now`)" },
        { object: "Math", property: "random", message: "derive ids from the run and the step instance" },
      ],
    },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
