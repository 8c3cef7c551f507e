# offerplan API image. The image has no dist/ (TypeScript is a dev dependency), so
# bin/offerplan.js runs the sources through tsx: a slower start, which a long-running server pays
# once. See docker-compose.yml for the database and the start command.
FROM node:20-slim

WORKDIR /app

# Dependencies first, so that source edits keep this layer cached. --ignore-scripts: our own
# postinstall (prisma generate) needs the schema, copied below, and no dependency needs its install
# scripts (docs/prisma-offline.md); prisma's would try to download native engines.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
# The schema's datasource needs some URL even to generate the client; the real one is given at run
# time. The client is generated into src/generated, which .dockerignore keeps out of the COPY below.
RUN DATABASE_URL=postgresql://build:build@localhost:5432/build npx prisma generate

COPY bin ./bin
COPY src ./src
# The API reads its SDL at start.
COPY schema.graphql ./

ENV NODE_ENV=production
# Huge pages for the optimiser's typed arrays (docs/performance.md: ~3× faster first touches).
ENV GLIBC_TUNABLES=glibc.malloc.hugetlb=1
# The image's unprivileged user; the app only reads /app (tsx caches compiled files in /tmp).
USER node
EXPOSE 4000
CMD ["npx", "offerplan", "serve"]
