// ESLint flat config: Next's core-web-vitals and TypeScript rules, a ban on `any`, and the
// layering rules: the bus knows no domain, and pages never reach the database.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["lib/bus/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/games", "@/lib/games/*", "@/lib/server/*"],
              message: "lib/bus knows no domain: declare channel kinds in the domain and register them (docs/bus.md).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/db/*"], message: "Pages call lib/ functions; only lib/ reads the database." }] },
      ],
    },
  },
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "next-env.d.ts",
    "bench-results/**",
    "test-results/**",
    "playwright-report/**",
    "db/migrations/**",
    "db/migrations-pg/**",
  ]),
]);
