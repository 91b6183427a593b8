import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      "*/bundle/**",
      "artifacts/**",
      "cache/**",
      "coverage/**",
      "typechain-types/**",
      ".data/**",
      // Stand-ins for npm packages (CommonJS, no logic): see stubs/*/package.json.
      "stubs/**",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  {
    // CommonJS by nature: --require preloads, the code-cache loader that bundles run through, ts-node's transpiler.
    files: ["**/*.cjs"],
    languageOptions: { globals: { setTimeout: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", require: "readonly", __dirname: "readonly", module: "writable" } },
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.test.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
