// Two projects: unit tests need nothing; db tests get a migrated template database once per run
// (global setup) and each test file clones it (test/support/db.ts).
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
      transform,
    },
    {
      displayName: "db",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/db/**/*.test.ts"],
      transform,
      globalSetup: "<rootDir>/test/support/global-setup.ts",
      globalTeardown: "<rootDir>/test/support/global-teardown.ts",
    },
  ],
};
