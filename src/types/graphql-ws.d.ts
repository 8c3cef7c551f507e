// graphql-ws publishes its ws adapter only through package "exports", which this project's "node"
// module resolution does not read for types (Node and tsx do read it at run time); a tsconfig
// "paths" entry would not do, since tsx follows those at run time too.
declare module "graphql-ws/use/ws" {
  export * from "graphql-ws/dist/use/ws";
}
