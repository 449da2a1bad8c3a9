FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY server ./server
COPY realtime ./realtime
COPY signaling ./signaling
COPY models ./models
COPY migrations ./migrations
RUN pip install --no-cache-dir . && useradd --create-home --uid 10001 miraiworks \
    && mkdir -p /data/files && chown -R miraiworks /data
# The browser client: the installed server finds it as ./web of the WORKDIR it runs in.
COPY web ./web

USER miraiworks
ENV STORAGE_DIR=/data/files VAR_DIR=/data APP_ENV=production PORT=8000 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/miraiworks-metrics
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
    CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/health/ready', timeout=2)"
# `exec`: the server, not sh, gets SIGTERM and stops gracefully (README, Operations).
CMD ["sh", "-c", "miraiworks migrate && exec miraiworks serve --host 0.0.0.0 --port ${PORT} --workers ${WEB_CONCURRENCY:-2}"]
