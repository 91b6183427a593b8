// solidity-coverage settings: a summary file for scripts/check-coverage.ts, and no mocks to skip.
module.exports = {
  istanbulReporter: ["text", "json-summary", "lcov"],
  skipFiles: ["interfaces/"],
  configureYulOptimizer: true,
};
