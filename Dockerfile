# ticket-bridge image: `docker build -t ticket-bridge .`, then see docs/operations.md.
# Two stages: the build has the dev tools, the runtime only Node, the bundle and production
# dependencies. Nothing compiles: libsql and esbuild ship their binaries in registry packages.
# .ci/fresh-install runs this build stage's RUN lines and the runtime CMD outside Docker.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY src ./src
COPY bots ./bots
COPY handlers ./handlers
COPY adapters ./adapters
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
# tini is PID 1: it forwards SIGTERM to Node and reaps zombies, so no `docker run --init` needed.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    HEALTH_PORT=8080 \
    STORE_URL=sqlite:///app/data/tickets.sqlite
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scripts/healthcheck.mjs ./scripts/healthcheck.mjs
# The app folder stays root's and read-only to the bot; only the data folder is its own.
RUN mkdir -m 0700 /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 8080
# Liveness, not readiness: /healthz fails only when the process stops answering, which a restart
# fixes. /readyz also fails when Slack, the store or the vendor's credentials are down, which a
# restart does not fix; alert on it (or route traffic by it) instead of restarting on it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "--optimize-for-size", "dist/main.js"]
