// `npm run codegen:client`: typed documents (TypedDocumentNode) for the example's graphql(...)
// calls, from the API's schema.graphql. Paths are resolved from this file, so the command works
// from the repository root and from this folder alike.
import path from "node:path";
import type { CodegenConfig } from "@graphql-codegen/cli";

const here = (p: string) => path.join(__dirname, p);

const config: CodegenConfig = {
  schema: here("../../schema.graphql"),
  documents: [here("src/**/*.ts"), `!${here("src/gql/**")}`],
  ignoreNoDocuments: false,
  generates: {
    [here("src/gql/")]: {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // only the types the example's operations use, not the whole schema
        onlyOperationTypes: true,
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        // what the JSON over HTTP carries: dates are ISO strings, not Date objects
        scalars: {
          DateTime: "string",
          Date: "string",
          JSONObject: "Record<string, unknown>",
          JSON: "unknown",
        },
      },
    },
  },
};

export default config;
