# Production image: the API (which also serves the built web app). Built on a current LTS Node;
# the code itself runs on Node >= 20.19.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY api/package.json api/
COPY web/package.json web/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
# Backups (README "Backups"): pg_dump/pg_restore must be at least the server's major version; Debian 12 ships 15,
# docker-compose runs postgres:16, so the client comes from the PostgreSQL apt repository. Match PG_MAJOR to the server.
ARG PG_MAJOR=16
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
  && install -d /usr/share/postgresql-common/pgdg \
  && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
  && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" > /etc/apt/sources.list.d/pgdg.list \
  && apt-get update && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
  && apt-get purge -y curl && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
# tini as PID 1: it forwards SIGTERM to node (which drains and exits, see api/src/bootstrap.ts) and reaps zombies.
# docker-compose also sets `init: true`; either alone is enough, tini here covers a plain `docker run`.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data SEED_DEMO=false
WORKDIR /app
# The production dependencies with the package.json files they were installed for (and any workspace-level
# node_modules folder npm chose to create).
COPY --from=prod-deps /app ./
COPY migrations migrations
# The compiled server (scripts/build.mjs: one esbuild bundle, npm packages external) and the files it reads at run
# time: the placard fonts (found from the checkout root, as in the sources) and the built member app.
COPY --from=build /app/api/dist api/dist
COPY api/src/placards/fonts api/src/placards/fonts
COPY --from=build /app/web/dist web/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# node itself, not npm or tsx: the signal reaches the server, which stops accepting, finishes running requests
# (at most 10 s) and closes the database. CLIs: `docker compose exec api node api/dist/seed-cli.js`, `… audit-verify-cli.js`.
ENTRYPOINT ["/usr/bin/tini", "--"]
# V8 flags (the same in package.json "start"): a 2 MB young generation and an old generation that grows 20% past what
# is live before the next full collection. V8's defaults let the heap grow ~1 MB/s under a steady scan load until its
# own limits (206 MB after 60 s on PostgreSQL); with these it stays flat at ~146 MB at the same rate, and a big export
# still gets the memory it needs (no hard cap). docs/BENCHMARKS.md "footprint".
CMD ["node", "--max-semi-space-size=2", "--heap-growing-percent=20", "api/dist/server.js"]
