# ShipVox Companion: the BFF + widget bundle + demo pages, on Node 20 with a SQLite store in /data.
# Not built in the development environment (no Docker there); see docs/deploy.md.
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 normally downloads a prebuilt binary; the toolchain is the fallback.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Offline dependency review (lockfile, installed tree, install scripts, advisory floors, licences).
RUN node scripts/deps-check.mjs && npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production \
    STORE=sqlite \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8080
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/bff ./bff
COPY --from=build /app/shared ./shared
# No demo/ (production serves no pages of its own), no tests, bench or scripts; no devDependency
# (pruned above; esbuild stays as tsx's own dependency).
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains: /readyz 503, sockets closed with 1001, in-flight tool calls answered, exit 0 within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "bff/main.ts"]
