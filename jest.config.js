// Two projects: unit tests need nothing; db tests get a migrated template database once per run
// (global setup) and each test file clones it (test/support/db.ts).
//
// ml-kmeans and the packages it imports are ES modules only, which Jest's CommonJS runtime cannot
// load (Node itself can, through require(esm)): ts-jest compiles those files to CommonJS too.
const esmOnly = [
  "ml-kmeans",
  "ml-distance-euclidean",
  "ml-nearest-vector",
  "ml-spectra-processing",
  "ml-array-max",
  "ml-array-min",
  "ml-array-rescale",
  "is-any-array",
];
const transform = {
  "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  [`/node_modules/(${esmOnly.join("|")})/.+\\.js$`]: [
    "ts-jest",
    { tsconfig: { allowJs: true, isolatedModules: true, esModuleInterop: true } },
  ],
};
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join("|")})/)`];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: "db",
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/db/**/*.test.ts"],
      transform,
      transformIgnorePatterns,
      globalSetup: "<rootDir>/test/support/global-setup.ts",
      globalTeardown: "<rootDir>/test/support/global-teardown.ts",
    },
  ],
};
