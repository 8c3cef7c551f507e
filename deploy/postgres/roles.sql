-- The database roles of a deployment, run once by a superuser against the new, empty database
-- (docker-compose.yml runs it through initdb/10-offerplan-roles.sh; docs/security.md shows it
-- by hand). psql variables: dbname, app_role, app_password, migrate_role, migrate_password.
--
-- The application role owns its database and schema, because it changes its own tables at run
-- time: imports swap constraints and ANALYZE, plans attach a partition per plan. What it cannot
-- do is reach beyond that database: it is no superuser, creates no roles and no databases, has
-- no replication, cannot read or write server files or run programs (COPY ... PROGRAM), and
-- cannot bypass row security.
--
-- The migration role is a separate login, held only by the one-off migrate step. It acts as the
-- application role (its sessions start with SET ROLE), so every table and the job queue's
-- schema it creates belong to the application role. Its sessions show under their own name in
-- pg_stat_activity and the server log.
\set ON_ERROR_STOP on

CREATE ROLE :"app_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'app_password';
CREATE ROLE :"migrate_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'migrate_password';
GRANT :"app_role" TO :"migrate_role";
ALTER ROLE :"migrate_role" SET role = :'app_role';

ALTER DATABASE :"dbname" OWNER TO :"app_role";
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;

\connect :"dbname"
-- PostgreSQL 15+ gives the public schema to the database owner; older servers do not
ALTER SCHEMA public OWNER TO :"app_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
