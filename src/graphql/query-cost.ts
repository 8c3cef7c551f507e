// The cost of an operation, computed before it runs and with the request's variables: the number
// of objects its response can hold. A list field multiplies what is below it by its page size
// (`first`, its schema default when absent) or, when it takes no `first`, by an assumed length.
// Connection wrappers (…Connection, …Edge, PageInfo) cost nothing themselves: a page of 1,000
// assignments with their customer, offer and channel costs 4,001 with its plan, whichever way
// the page size is written.
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { DEFAULT_PAGE_SIZE } from "./pagination";

export interface CostOptions {
  /** objects assumed in a list that takes no `first` (catalog lists, report rows) */
  assumedListSize: number;
}

export const DEFAULT_ASSUMED_LIST_SIZE = 50;

const isWrapper = (name: string) =>
  name.endsWith("Connection") || name.endsWith("Edge") || name === "PageInfo";

/**
 * The operation's cost with `rawVariables` coerced against it; null when the variables do not
 * coerce (execution reports that error itself).
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  rawVariables: Record<string, unknown> | undefined,
  opts: CostOptions = { assumedListSize: DEFAULT_ASSUMED_LIST_SIZE },
): number | null {
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    rawVariables ?? {},
  );
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;

  const included = (node: Parameters<typeof getDirectiveValues>[1]) =>
    !getDirectiveValues(GraphQLSkipDirective, node, variables)?.if &&
    getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;

  /** `pageSize` is the `first` of the connection whose fields these are (for its `edges`). */
  const visit = (
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    multiplier: number,
    pageSize: number,
    seen: ReadonlySet<string>,
  ): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (!included(sel)) continue;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        if (on && isCompositeType(on))
          total += visit(sel.selectionSet, on, multiplier, pageSize, seen);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const name = sel.name.value;
        const frag = fragments[name];
        // Validation has refused fragment cycles; the guard keeps this function total anyway.
        if (!frag || seen.has(name)) continue;
        const on = schema.getType(frag.typeCondition.name.value);
        if (on && isCompositeType(on))
          total += visit(frag.selectionSet, on, multiplier, pageSize, new Set([...seen, name]));
        continue;
      }
      if (!isObjectType(type) || !sel.selectionSet) continue;
      const def = type.getFields()[sel.name.value];
      if (!def) continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      let first: number | undefined;
      if (def.args.some((a) => a.name === "first")) {
        // A connection returns first or last rows; neither (or null) = its default page.
        const args = getArgumentValues(def, sel, variables);
        const v = args.first ?? args.last ?? DEFAULT_PAGE_SIZE[`${type.name}.${def.name}`];
        first = typeof v === "number" && Number.isFinite(v) ? Math.max(0, v) : undefined;
      }
      let count = multiplier;
      if (isListType(getNullableType(def.type)))
        count *=
          sel.name.value === "edges" && isWrapper(type.name)
            ? pageSize
            : (first ?? opts.assumedListSize);
      if (!isWrapper(named.name)) total += count;
      total += visit(sel.selectionSet, named, count, first ?? opts.assumedListSize, seen);
    }
    return total;
  };
  return visit(operation.selectionSet, root, 1, opts.assumedListSize, new Set());
}
