# Toplum: one image for the web process (gunicorn), the Celery workers and beat (docker/entrypoint.sh).
# Python packages come only from the wheelhouse built beside it (`make image` runs `make wheelhouse`):
# nothing is fetched from PyPI while the image builds, and only requirements.txt (what production runs) is
# installed: no test, lint or audit tools.

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
COPY docker/wheelhouse /tmp/wheelhouse
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --quiet --no-index --find-links /tmp/wheelhouse -r /tmp/requirements.txt \
 && /opt/venv/bin/pip uninstall --quiet --yes pip
WORKDIR /app
COPY . /app
# Static files are collected (and compressed, with a manifest) once, here; WhiteNoise serves them.
RUN SECRET_KEY=build-only DEBUG=0 STATIC_ROOT=/app/staticfiles /opt/venv/bin/python manage.py collectstatic --noinput -v0 \
 && /opt/venv/bin/python -m compileall -q /app

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --gid 0 --home-dir /app --no-create-home toplum \
 && mkdir -p /var/lib/toplum/media \
 && chown toplum /var/lib/toplum/media
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DEBUG=0 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/toplum/media \
    LOG_FORMAT=json
WORKDIR /app
# Never root: the application cannot write its own code or static files, only MEDIA_ROOT.
USER toplum
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
