/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ListPlans($first: Int, $after: String, $orderBy: PlanOrder) {\n    plans(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          status\n          method\n          versionNumber\n          createdAt\n          finishedAt\n          kpis {\n            expectedReturn\n            cost\n            contacts\n          }\n        }\n      }\n    }\n  }\n": typeof types.ListPlansDocument,
    "\n  query PlanDashboard($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      status\n      method\n      kpis {\n        expectedReturn\n        cost\n        roi\n        contacts\n        upperBound\n        gap\n        baselineExpectedReturn\n        baselineCost\n        contactsByChannel {\n          channel {\n            id\n          }\n          contacts\n        }\n      }\n      constraintReport {\n        name\n        kind\n        sense\n        activity\n        bound\n        slack\n        dual\n        binding\n        reportOnly\n      }\n      offerChannelFrequencies {\n        offer {\n          id\n          name\n        }\n        channel {\n          id\n          name\n        }\n        contacts\n        share\n        expectedReturn\n        cost\n      }\n    }\n  }\n": typeof types.PlanDashboardDocument,
    "\n  query AssignmentPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    plan(id: $id) {\n      assignments(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            customer {\n              id\n              segment\n            }\n            offer {\n              id\n            }\n            channel {\n              id\n            }\n            expectedReturn\n            cost\n            group\n            wave\n          }\n        }\n      }\n    }\n  }\n": typeof types.AssignmentPageDocument,
    "\n  mutation RunPlan($input: RunPlanInput!) {\n    runPlan(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.RunPlanDocument,
    "\n  subscription FollowPlan($id: ID!) {\n    planUpdated(id: $id) {\n      id\n      status\n      phase\n      progress\n      error\n    }\n  }\n": typeof types.FollowPlanDocument,
};
const documents: Documents = {
    "\n  query ListPlans($first: Int, $after: String, $orderBy: PlanOrder) {\n    plans(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          status\n          method\n          versionNumber\n          createdAt\n          finishedAt\n          kpis {\n            expectedReturn\n            cost\n            contacts\n          }\n        }\n      }\n    }\n  }\n": types.ListPlansDocument,
    "\n  query PlanDashboard($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      status\n      method\n      kpis {\n        expectedReturn\n        cost\n        roi\n        contacts\n        upperBound\n        gap\n        baselineExpectedReturn\n        baselineCost\n        contactsByChannel {\n          channel {\n            id\n          }\n          contacts\n        }\n      }\n      constraintReport {\n        name\n        kind\n        sense\n        activity\n        bound\n        slack\n        dual\n        binding\n        reportOnly\n      }\n      offerChannelFrequencies {\n        offer {\n          id\n          name\n        }\n        channel {\n          id\n          name\n        }\n        contacts\n        share\n        expectedReturn\n        cost\n      }\n    }\n  }\n": types.PlanDashboardDocument,
    "\n  query AssignmentPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    plan(id: $id) {\n      assignments(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            customer {\n              id\n              segment\n            }\n            offer {\n              id\n            }\n            channel {\n              id\n            }\n            expectedReturn\n            cost\n            group\n            wave\n          }\n        }\n      }\n    }\n  }\n": types.AssignmentPageDocument,
    "\n  mutation RunPlan($input: RunPlanInput!) {\n    runPlan(input: $input) {\n      id\n      status\n    }\n  }\n": types.RunPlanDocument,
    "\n  subscription FollowPlan($id: ID!) {\n    planUpdated(id: $id) {\n      id\n      status\n      phase\n      progress\n      error\n    }\n  }\n": types.FollowPlanDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListPlans($first: Int, $after: String, $orderBy: PlanOrder) {\n    plans(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          status\n          method\n          versionNumber\n          createdAt\n          finishedAt\n          kpis {\n            expectedReturn\n            cost\n            contacts\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListPlans($first: Int, $after: String, $orderBy: PlanOrder) {\n    plans(first: $first, after: $after, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          status\n          method\n          versionNumber\n          createdAt\n          finishedAt\n          kpis {\n            expectedReturn\n            cost\n            contacts\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PlanDashboard($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      status\n      method\n      kpis {\n        expectedReturn\n        cost\n        roi\n        contacts\n        upperBound\n        gap\n        baselineExpectedReturn\n        baselineCost\n        contactsByChannel {\n          channel {\n            id\n          }\n          contacts\n        }\n      }\n      constraintReport {\n        name\n        kind\n        sense\n        activity\n        bound\n        slack\n        dual\n        binding\n        reportOnly\n      }\n      offerChannelFrequencies {\n        offer {\n          id\n          name\n        }\n        channel {\n          id\n          name\n        }\n        contacts\n        share\n        expectedReturn\n        cost\n      }\n    }\n  }\n"): (typeof documents)["\n  query PlanDashboard($id: ID!) {\n    plan(id: $id) {\n      id\n      name\n      status\n      method\n      kpis {\n        expectedReturn\n        cost\n        roi\n        contacts\n        upperBound\n        gap\n        baselineExpectedReturn\n        baselineCost\n        contactsByChannel {\n          channel {\n            id\n          }\n          contacts\n        }\n      }\n      constraintReport {\n        name\n        kind\n        sense\n        activity\n        bound\n        slack\n        dual\n        binding\n        reportOnly\n      }\n      offerChannelFrequencies {\n        offer {\n          id\n          name\n        }\n        channel {\n          id\n          name\n        }\n        contacts\n        share\n        expectedReturn\n        cost\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AssignmentPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    plan(id: $id) {\n      assignments(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            customer {\n              id\n              segment\n            }\n            offer {\n              id\n            }\n            channel {\n              id\n            }\n            expectedReturn\n            cost\n            group\n            wave\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AssignmentPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    plan(id: $id) {\n      assignments(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            customer {\n              id\n              segment\n            }\n            offer {\n              id\n            }\n            channel {\n              id\n            }\n            expectedReturn\n            cost\n            group\n            wave\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunPlan($input: RunPlanInput!) {\n    runPlan(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RunPlan($input: RunPlanInput!) {\n    runPlan(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowPlan($id: ID!) {\n    planUpdated(id: $id) {\n      id\n      status\n      phase\n      progress\n      error\n    }\n  }\n"): (typeof documents)["\n  subscription FollowPlan($id: ID!) {\n    planUpdated(id: $id) {\n      id\n      status\n      phase\n      progress\n      error\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;