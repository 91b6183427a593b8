// solidity-coverage settings: a summary file for scripts/check-coverage.ts; test fixtures in mocks/ are not measured.
module.exports = {
  istanbulReporter: ["text", "json-summary", "lcov"],
  skipFiles: ["interfaces/", "mocks/"],
  configureYulOptimizer: true,
};
