-- Version history people can read: a note on every version, and one constraint set per name
-- (compared without regard to case), so that a name says which set it means.

ALTER TABLE "constraint_set_version" ADD COLUMN "note" TEXT;

-- Sets that shared a name keep the oldest's; the others get their id appended.
UPDATE "constraint_set" s SET "name" = s."name" || ' (' || s."id" || ')'
WHERE EXISTS (SELECT 1 FROM "constraint_set" o
              WHERE lower(o."name") = lower(s."name") AND o."id" < s."id");

CREATE UNIQUE INDEX "constraint_set_name_key" ON "constraint_set" (lower("name"));
