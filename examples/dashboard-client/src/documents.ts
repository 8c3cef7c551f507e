// The operations the dashboard sends. `npm run codegen:client` reads these graphql(...) calls and
// writes their result and variable types into src/gql, so a change to the schema that breaks a
// field used here fails the typecheck instead of the dashboard.
import { graphql } from "./gql";

export const ListPlans = graphql(`
  query ListPlans($first: Int, $after: String, $orderBy: PlanOrder) {
    plans(first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          status
          method
          versionNumber
          createdAt
          finishedAt
          kpis {
            expectedReturn
            cost
            contacts
          }
        }
      }
    }
  }
`);

export const PlanDashboard = graphql(`
  query PlanDashboard($id: ID!) {
    plan(id: $id) {
      id
      name
      status
      method
      kpis {
        expectedReturn
        cost
        roi
        contacts
        upperBound
        gap
        baselineExpectedReturn
        baselineCost
        contactsByChannel {
          channel {
            id
          }
          contacts
        }
      }
      constraintReport {
        name
        kind
        sense
        activity
        bound
        slack
        dual
        binding
        reportOnly
      }
      offerChannelFrequencies {
        offer {
          id
          name
        }
        channel {
          id
          name
        }
        contacts
        share
        expectedReturn
        cost
      }
    }
  }
`);

export const AssignmentPage = graphql(`
  query AssignmentPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    plan(id: $id) {
      assignments(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          cursor
          node {
            customer {
              id
              segment
            }
            offer {
              id
            }
            channel {
              id
            }
            expectedReturn
            cost
            group
            wave
          }
        }
      }
    }
  }
`);

export const RunPlan = graphql(`
  mutation RunPlan($input: RunPlanInput!) {
    runPlan(input: $input) {
      id
      status
    }
  }
`);

export const FollowPlan = graphql(`
  subscription FollowPlan($id: ID!) {
    planUpdated(id: $id) {
      id
      status
      phase
      progress
      error
    }
  }
`);
