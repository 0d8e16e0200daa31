// Each package owns its vitest.config.ts; this file only lists them.
export default ['packages/*/vitest.config.ts'];
