// Introspection is the documentation clients read (IDEs, code generators): every type, field,
// argument, input field and enum value of schema.graphql says what it is.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
} from "graphql";

const schema = buildSchema(
  readFileSync(path.join(__dirname, "..", "..", "..", "schema.graphql"), "utf8"),
);

/** Every schema coordinate (Type, Type.field, Type.field(arg:), Enum.VALUE) without a description. */
function undescribed(s: GraphQLSchema): string[] {
  const missing: string[] = [];
  const need = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(s.getTypeMap())) {
    if (type.name.startsWith("__") || s.getTypeMap()[type.name] !== type) continue;
    if (["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
    need(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type))
      for (const field of Object.values(type.getFields())) {
        need(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args)
          need(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    if (isInputObjectType(type))
      for (const field of Object.values(type.getFields()))
        need(`${type.name}.${field.name}`, field.description);
    if (isEnumType(type))
      for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
  }
  return missing;
}

describe("schema.graphql descriptions", () => {
  it("finds what lacks one", () => {
    const bare = buildSchema(`type Query { "the answer" a(x: Int): E } enum E { "one" ONE TWO }`);
    expect(undescribed(bare)).toEqual(["Query", "Query.a(x:)", "E", "E.TWO"]);
  });

  it("describes every type, field, argument, input field and enum value", () => {
    expect(undescribed(schema)).toEqual([]);
  });
});
