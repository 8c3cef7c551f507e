// Opening and migrating the database, for the command line: it opens a connection per command,
// and names no database module itself.
export { openDatabase, type Database, type OpenOptions } from "../db/connection";
export { migrate, type MigrateOptions } from "../db/migrate";
