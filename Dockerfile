# syntax=docker/dockerfile:1
# thawbot: docker build -t thawbot .
#   docker run -d --env-file .env -e HEALTH_PORT=8080 -v thawbot-data:/app/data thawbot
# (an empty HEALTH_PORT= line in .env would switch the health endpoint, and so the HEALTHCHECK, off)
# See docs/operations.md for every variable, health checks, backups and upgrades.

# Any Node that `engines` in package.json allows (20.19 or newer; CI tests 20.19, 22 and 24).
ARG NODE_VERSION=22

# Compiles src/ and commands/ to dist/ with the full (development) dependencies.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
RUN npm run build

# Production dependencies only, installed from the lock file.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The image that runs: the compiled JavaScript on plain Node (no TypeScript loader, no sources).
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_FILE=/app/data/thawbot.json \
    CONTENT_DIR=/app/content \
    HEALTH_PORT=8080 \
    HEALTH_HOST=127.0.0.1
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY --from=build /app/dist ./dist
COPY content ./content
# Broken content fails the build, not the start.
RUN node dist/src/content/cli.js check
# The image's "node" user (uid 1000) owns the data directory and nothing else.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# Slack's HTTP mode listens on PORT (3000); Discord and Slack Socket Mode need no open port.
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8080)+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1, so SIGTERM from `docker stop` reaches thawbot's clean shutdown directly.
# A 2 MiB young generation (V8's default grows to 16 MiB) keeps resident memory about 30 MiB lower;
# the same flags as `npm run start:prod`, measured by `npm run bench -- discord`.
CMD ["node", "--max-semi-space-size=2", "--optimize-for-size", "dist/src/main.js"]
