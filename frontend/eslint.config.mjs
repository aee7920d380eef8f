// Next.js's own rules (core web vitals, React, hooks, accessibility, imports) and its
// TypeScript rules; `npm run lint`, also run by `make test`.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  // Build output, and Next's own declarations.
  globalIgnores([".next/**", "out/**", "next-env.d.ts"]),
]);
