# Production image: the console built, the server compiled to JavaScript, production
# dependencies only, running as the unprivileged `node` user.
#   docker build -t pulseboard .
#   docker run -e JWT_SECRET="$(openssl rand -base64 48)" -p 4000:4000 pulseboard

# 1. Build: every dependency, then `npm run build` (vite -> web/dist, tsc -> build/).
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only (no TypeScript, vite, vitest or tsx at run time).
FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Run.
FROM node:20.20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json ./
# the embedded store's directory when DATABASE_URL is not set
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
# ready = the store and the bus answer (GET /ready); `docker compose` waits on it
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "build/server/index.js"]
