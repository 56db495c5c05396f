#!/bin/sh
# What a Toplum container runs: `web` (the default), `worker`, `beat`, `migrate`, or `manage <command>`.
set -e

# Web, workers and beat start once the migrate service has brought the schema up to date, whatever order
# the containers start in (compose's start-up conditions are not the same in every compose version).
wait_for_migrations() {
  tries=${MIGRATION_WAIT_SECONDS:-300}
  while ! python manage.py migrate --check >/dev/null 2>&1; do
    tries=$((tries - 3))
    if [ "$tries" -le 0 ]; then
      echo "toplum: the database is unreachable or not migrated; run the migrate service" >&2
      exit 1
    fi
    sleep 3
  done
}

case "${1:-web}" in
  web)
    shift || true
    wait_for_migrations
    # Three workers per two cores by default (README, "Scaling out"); WEB_CONCURRENCY overrides it.
    # Request metrics of all gunicorn processes are added up from here (config/metrics.py).
    export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-/tmp/prometheus}
    rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    # Requests are logged by the application (core/logs.py, JSON), not by gunicorn's access log.
    exec gunicorn config.wsgi:application --config python:config.gunicorn \
      --bind "${BIND:-0.0.0.0:8000}" \
      --workers "${WEB_CONCURRENCY:-3}" \
      --max-requests "${GUNICORN_MAX_REQUESTS:-2000}" --max-requests-jitter 200 \
      --timeout "${GUNICORN_TIMEOUT:-60}" \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
      --no-control-socket \
      "$@"
    ;;
  worker)
    shift
    wait_for_migrations
    # WORKER_QUEUES: the queues this worker consumes (compose.yaml runs one worker per latency group).
    exec celery -A config worker --loglevel=INFO -Q "${WORKER_QUEUES:-toplum}" \
      --concurrency "${WORKER_CONCURRENCY:-2}" --hostname "${WORKER_NAME:-worker}@%h" "$@"
    ;;
  beat)
    shift
    wait_for_migrations
    exec celery -A config beat --loglevel=INFO --schedule /var/lib/toplum/media/.celerybeat-schedule "$@"
    ;;
  migrate)
    # Run with DATABASE_URL pointing at the owner role: migrations, then grants to DATABASE_APP_ROLE.
    # The database may still be starting: try again for a minute.
    for _ in $(seq 1 30); do
      python manage.py migrate --noinput && exit 0
      sleep 2
    done
    exit 1
    ;;
  manage)
    shift
    exec python manage.py "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
