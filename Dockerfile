# syntax=docker/dockerfile:1
# Build stage: compile TypeScript, then drop dev dependencies (optional ones stay: Pact's native core is one).
# The base is pinned by digest, so a rebuild starts from the same image; bump it deliberately
# (`docker buildx imagetools inspect node:20-bookworm-slim` shows the current one).
FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies first, for the layer cache; the project's own prepare script (a build) waits for the
# sources, below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY simulators ./simulators
RUN npm run build && npm prune --omit=dev

# Runtime stage: compiled code and production dependencies only, run as the unprivileged `node` user.
FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node bin ./bin
COPY --chown=node:node scenarios ./scenarios
COPY --chown=node:node contracts ./contracts
# A place for --state-file that the unprivileged user may write to.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/cmo-sim.js"]
CMD ["serve"]
