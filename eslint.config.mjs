import js from "@eslint/js";
import tseslint from "typescript-eslint";

// One transaction style (README, "Architecture"): a transaction is opened by db/transaction.ts's
// inTransaction (Db.tx) only. A hand-written BEGIN or a Prisma $transaction elsewhere brings back
// a second style, with its own pooling, isolation and rollback rules (and Prisma's interactive
// transactions time out on their own), and code in it cannot share the pg client with the rest.
// Tests and benches may hold locks by hand; they are not linted by this rule.
const NO_HAND_TRANSACTION = [
  {
    selector: "Literal[value=/^\\s*BEGIN\\b/i]",
    message: "open transactions with Db.tx / inTransaction (src/db/transaction.ts)",
  },
  {
    selector: "TemplateElement[value.raw=/^\\s*BEGIN\\b/i]",
    message: "open transactions with Db.tx / inTransaction (src/db/transaction.ts)",
  },
  {
    selector: 'CallExpression[callee.property.name="$transaction"]',
    message:
      "open transactions with Db.tx / inTransaction (src/db/transaction.ts), not Prisma's $transaction",
  },
];

// The layers (README, "Architecture"). Each boundary is a list of forbidden module specifiers,
// checked on import declarations and on the lazy `require()` / `import("…")` forms the CLI uses
// to keep its start-up cheap, so that a deferred load cannot slip past the rule.
const boundary = (forbidden, message) => {
  // a selector's regex literal ends at the first slash, so slashes are spelled \x2F there
  const re = forbidden.replaceAll("/", "\\x2F");
  return {
    "no-restricted-imports": ["error", { patterns: [{ regex: forbidden, message }] }],
    "no-restricted-syntax": [
      "error",
      { selector: `CallExpression[callee.name="require"][arguments.0.value=/${re}/]`, message },
      { selector: `TSImportType[argument.literal.value=/${re}/]`, message },
      { selector: `ImportExpression[source.value=/${re}/]`, message },
      // a file's no-restricted-syntax replaces the one of src/**: it repeats its selectors
      ...NO_HAND_TRANSACTION,
    ],
  };
};

// The edges reach the data through the services only.
const EDGE = boundary(
  "^(pg|pg-copy-streams|@prisma/client|@prisma/adapter-pg)$|^(\\.\\./)+(db|ingest|generated/prisma)(/|$)",
  "src/graphql and src/cli call services; SQL, Prisma and the importer stay behind them",
);
// The optimisation core depends on nothing but itself, its LP libraries and worker threads.
const CORE = (up) =>
  boundary(
    `^(${up}\\.\\./|node:(?!worker_threads$)|(?!\\.|node:|highs$|javascript-lp-solver$|ml-kmeans(/|$)))`,
    "src/optimize imports only its own modules and its LP and clustering libraries",
  );

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "src/generated/",
      "src/graphql/__generated__/",
      "examples/dashboard-client/src/gql/",
      ".offerplan/",
      "coverage/",
      "bin/",
      "dist/",
      "scripts/",
      "*.js",
      "*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/db/transaction.ts"],
    rules: { "no-restricted-syntax": ["error", ...NO_HAND_TRANSACTION] },
  },
  { files: ["src/graphql/**/*.ts", "src/cli/**/*.ts"], rules: EDGE },
  { files: ["src/optimize/*.ts"], rules: CORE("") },
  { files: ["src/optimize/*/**/*.ts"], rules: CORE("\\.\\./") },
  {
    files: ["src/services/**/*.ts"],
    rules: boundary(
      "^(\\.\\./)+(graphql|cli|server)(/|$)",
      "services know nothing of their callers: GraphQL, the CLI and the HTTP server map at the edge",
    ),
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: boundary(
      "^(\\.\\./)+optimize(/|$)",
      "src/domain is the contract's vocabulary; translating it into the core's input happens outside it",
    ),
  },
);
