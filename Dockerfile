# syntax=docker/dockerfile:1
# The Landed Freshdesk pipeline as a container: `landed-freshdesk` is the entrypoint and
# /data the dataset volume. No Docker engine runs on the team's machines, so CI proves the
# same bundle without Docker (apps/pipeline/test/Deploy.test.ts builds it the way this file
# does and runs check, sync and verify from it with nothing but node).

# Node 22 is the active LTS line the code is kept ready for (TOOLCHAIN.md: no Node-20-only
# workarounds); the development machines run Node 20.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /repo
RUN npm install --global pnpm@10.34.9
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml turbo.json ./
COPY tooling tooling
COPY packages packages
COPY apps apps
RUN pnpm install --frozen-lockfile
RUN pnpm --filter @landed/pipeline run build
# the bundle carries the workspace code; deploy adds only the production dependencies
# (the DuckDB binding, whose native binary comes from its registry package)
RUN pnpm --filter @landed/pipeline deploy --prod --legacy /app

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PIPELINE_OUT=/data \
    PIPELINE_LOG_FORMAT=json
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["--help"]
