#!/bin/sh
# The streaming replica's entrypoint: on first start it clones the primary (pg_basebackup -R
# writes standby.signal and primary_conninfo), then runs PostgreSQL as a hot standby.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" su-exec postgres \
    pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast
fi
exec su-exec postgres postgres -c hot_standby=on
