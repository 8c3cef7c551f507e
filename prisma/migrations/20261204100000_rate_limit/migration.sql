-- Per-key token buckets of the API's rate limit, shared by every server process on the database.
-- UNLOGGED: written on every request, so no WAL for it; after a crash the table is empty and
-- every key starts with a full bucket, which is what a restart should do anyway. Only raw SQL
-- reads it (src/server/rate-limit.ts), so it has no Prisma model.
CREATE UNLOGGED TABLE "rate_limit_bucket" (
    "key_id" INTEGER NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "rate_limit_bucket_pkey" PRIMARY KEY ("key_id"),
    CONSTRAINT "rate_limit_bucket_key_id_fkey" FOREIGN KEY ("key_id") REFERENCES "api_key"("id") ON DELETE CASCADE
);
