# Homewatch capture agent.
#
#   docker build -t homewatch .                      (with Docker Hub: node:22-bookworm-slim)
#   docker build --network host -t homewatch \
#     --build-arg NODE_IMAGE=homewatch/node:22-bookworm-slim .   (a base made by scripts/docker-base.sh)
#
# Node.js 22 LTS (Node 20 reached its end of life in April 2026). The build stage compiles the
# libpcap binding against libpcap-dev and installs the optional TensorFlow.js native backend where
# it can be downloaded; where it cannot (no internet besides npm), npm leaves it out and the model
# uses its WebAssembly backend. The run stage holds the bundled CLI, production node_modules and
# libpcap, runs as the unprivileged user `homewatch`, and gets the two capabilities a capture
# needs (CAP_NET_RAW, CAP_NET_ADMIN) through a 10-line launcher (docker/capture-caps.c) that
# holds them as file capabilities and hands them to node as ambient ones: the container must be
# given them (docker-compose.yml: cap_add), nothing else; node itself carries none.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# Behind a proxy that re-signs TLS (a company network): its CA certificate(s), PEM text, for npm.
ARG EXTRA_CA_CERTS=""
# node-gyp builds against the headers that come with node, not a download.
ENV npm_config_nodedir=/usr/local npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
WORKDIR /src
COPY . .
# One step, few layers: build tools, `npm ci` (which runs the build, package.json "prepare"),
# production packages only, the capture launcher; /out is what the run stage takes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libpcap-dev ca-certificates \
 && if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/ca-certificates/extra.crt \
      && update-ca-certificates; fi \
 && npm ci && npm prune --omit=dev && node dist/cli/main.js --version \
 && mkdir -p /out/opt/homewatch /out/usr/local/bin \
 && gcc -O2 -Wall -Werror -o /out/usr/local/bin/homewatch-capture docker/capture-caps.c \
 && cp -a package.json node_modules dist models /out/opt/homewatch/

FROM ${NODE_IMAGE}
COPY --from=build /out /
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpcap0.8 libcap2-bin \
 && setcap cap_net_raw,cap_net_admin+ep /usr/local/bin/homewatch-capture \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/homewatch \
      --shell /usr/sbin/nologin homewatch \
 && install -d -o homewatch -g homewatch -m 0700 /var/lib/homewatch
USER homewatch
WORKDIR /opt/homewatch
ENV HOMEWATCH_HEALTH_PORT=9108 NODE_ENV=production
VOLUME /var/lib/homewatch
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HOMEWATCH_HEALTH_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/bin/sh", "-c", "exec homewatch-capture /opt/homewatch/dist/cli/main.js capture --state /var/lib/homewatch --health \"$HOMEWATCH_HEALTH_PORT\" \"$@\"", "homewatch"]
CMD []
