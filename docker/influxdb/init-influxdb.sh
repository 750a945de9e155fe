#!/bin/sh
# First start: influxd on a loopback port of its own, CREATE USER (admin) and CREATE DATABASE,
# then stop it. InfluxDB 1.x allows creating the first admin without credentials.
set -e
: "${INFLUXDB_INIT_PORT:=8089}"
export INFLUXDB_HTTP_BIND_ADDRESS="127.0.0.1:$INFLUXDB_INIT_PORT"
export INFLUXDB_BIND_ADDRESS="127.0.0.1:$((INFLUXDB_INIT_PORT + 1))"
influxd &
pid=$!
url="http://127.0.0.1:$INFLUXDB_INIT_PORT"
i=0
until curl -fs "$url/ping" >/dev/null; do
  i=$((i + 1))
  [ "$i" -lt 300 ] || { echo "init-influxdb: influxd did not start" >&2; exit 1; }
  sleep 0.1
done
query() { curl -fsS -XPOST "$url/query" ${AUTH:+-u "$AUTH"} --data-urlencode "q=$1" >/dev/null; }
quote() { printf '%s' "$1" | sed "s/\\\\/\\\\\\\\/g; s/'/\\\\'/g"; }
if [ -n "$INFLUXDB_ADMIN_USER" ]; then
  if [ -z "$INFLUXDB_ADMIN_PASSWORD" ]; then
    echo "init-influxdb: INFLUXDB_ADMIN_USER is set but INFLUXDB_ADMIN_PASSWORD is empty" >&2
    kill "$pid"; exit 1
  fi
  query "CREATE USER \"$INFLUXDB_ADMIN_USER\" WITH PASSWORD '$(quote "$INFLUXDB_ADMIN_PASSWORD")' WITH ALL PRIVILEGES"
  AUTH="$INFLUXDB_ADMIN_USER:$INFLUXDB_ADMIN_PASSWORD"
fi
if [ -n "$INFLUXDB_DB" ]; then
  query "CREATE DATABASE \"$INFLUXDB_DB\""
fi
kill "$pid"
wait "$pid" || true
echo "init-influxdb: admin user and database created" >&2
