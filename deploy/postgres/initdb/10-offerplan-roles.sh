#!/bin/sh
# Run by the postgres image once, when its data volume is first initialised: the application and
# migration roles (../roles.sql, mounted beside this script). Passwords come from the db
# service's environment, never from this file.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v dbname="$POSTGRES_DB" \
  -v app_role=offerplan_app -v app_password="$OFFERPLAN_APP_PASSWORD" \
  -v migrate_role=offerplan_migrate -v migrate_password="$OFFERPLAN_MIGRATE_PASSWORD" \
  -f /offerplan/roles.sql
