#!/bin/sh
# First start: a cluster with the two roles Toplum runs with (README, "Two database roles"): the owner,
# which migrates, and the application role, which owns nothing (so it cannot rewrite the audit trail).
# WAL is kept for streaming replicas (pg_basebackup) and archived to $PGDATA/../wal-archive when
# WAL_ARCHIVE=1, for point-in-time recovery.
set -eu
: "${OWNER_DB_PASSWORD:?set OWNER_DB_PASSWORD}"
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"
PGPORT=${PGPORT:-5432}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = '*'
wal_level = replica
max_wal_senders = 5
archive_mode = on
archive_command = 'test "\${WAL_ARCHIVE:-0}" != 1 || cp %p /var/lib/postgresql/wal-archive/%f'
CONF
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  echo "host replication toplum_owner 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p $PGPORT" -w start >/dev/null
  psql -v ON_ERROR_STOP=1 -q -p "$PGPORT" -d postgres <<SQL
CREATE ROLE toplum_owner LOGIN REPLICATION PASSWORD '$OWNER_DB_PASSWORD';
CREATE ROLE toplum_app LOGIN PASSWORD '$APP_DB_PASSWORD';
CREATE DATABASE toplum OWNER toplum_owner;
REVOKE ALL ON DATABASE toplum FROM PUBLIC;
GRANT CONNECT ON DATABASE toplum TO toplum_app;
SQL
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
mkdir -p /var/lib/postgresql/wal-archive
exec postgres -D "$PGDATA" -p "$PGPORT"
