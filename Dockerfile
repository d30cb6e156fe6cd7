# syntax=docker/dockerfile:1
# tsentinel image: both daemons (tsentinel, tredis) and the admin CLI, on Node 20.
#
#   docker build -t tsentinel .
#   docker run -v tsdata:/data -v "$PWD/conf/compose:/etc/tsentinel:ro" tsentinel /etc/tsentinel/sentinel.conf
#   docker run -e TSENTINEL_DAEMON=tredis tsentinel --port 6379
#
# See deploy/docker/docker-entrypoint.sh for the argument convention and the writable-config rule.

# --- build: compile TypeScript, then keep only production dependencies -------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev && npm cache clean --force

# --- runtime: no compiler, no dev dependencies, no root -----------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TSENTINEL_DAEMON=tsentinel \
    TSENTINEL_SEED_DIR=/etc/tsentinel \
    TSENTINEL_DATA_DIR=/data
RUN groupadd --system --gid 999 tsentinel \
 && useradd --system --uid 999 --gid tsentinel --home-dir /data --no-create-home --shell /usr/sbin/nologin tsentinel \
 && mkdir -p /data /etc/tsentinel \
 && chown tsentinel:tsentinel /data \
 && printf '#!/bin/sh\nexec node /app/dist/cli/tsentinel.js "$@"\n' > /usr/local/bin/tsentinel \
 && printf '#!/bin/sh\nexec node /app/dist/cli/tredis.js "$@"\n' > /usr/local/bin/tredis \
 && chmod 0755 /usr/local/bin/tsentinel /usr/local/bin/tredis
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY conf ./conf
COPY deploy/docker/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh

# The data volume holds the working copy of the config (rewritten by the daemon) and the node's data files.
VOLUME /data
WORKDIR /data
USER tsentinel:tsentinel

# 26379 sentinel, 6379 node, 9479/9379 the HTTP metrics/health listeners when enabled (metrics-port).
EXPOSE 26379 6379 9479 9379

# Liveness of whichever daemon runs here: PING answers (LOADING/MASTERDOWN count as alive). TSENTINEL_PROBE_PORT
# selects the port (26379 for a sentinel, 6379 for a node); compose and Kubernetes set their own probes.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD tsentinel probe liveness -p "${TSENTINEL_PROBE_PORT:-26379}" --timeout 2000 -q || exit 1

ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["tsentinel", "--help"]
