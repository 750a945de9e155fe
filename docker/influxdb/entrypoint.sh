#!/bin/sh
# As the official influxdb:1.8 image: the first start (no meta.db yet) creates the admin user and
# the database from the environment, then influxd runs in the foreground.
set -e
if [ "$1" = influxd ] && [ ! -f /var/lib/influxdb/meta/meta.db ]; then
  /init-influxdb.sh
fi
exec "$@"
