#!/usr/bin/env bash
# A Maven repository server for the tests: nginx from Debian's packages with WebDAV PUT and basic authentication,
# on loopback, in a folder of its own.
#
#   nginx-webdav.sh install                          installs nginx from Debian's packages if it is missing
#   nginx-webdav.sh start <folder> <port> <user> <password>
#                                                    serves <folder>/www/repo/ as http://127.0.0.1:<port>/repo/
#   nginx-webdav.sh stop <folder>                    stops the server started in <folder>
#
# Installing needs root (or sudo); starting and stopping do not.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

nginx_binary() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}

install_nginx() {
  if [ -n "$(nginx_binary)" ]; then
    return 0
  fi
  echo "installing nginx from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -qq --no-install-recommends nginx >/dev/null 2>&1; then
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends nginx >/dev/null
  fi
  # the package may have started the system's nginx on port 80: the tests run their own
  as_root service nginx stop >/dev/null 2>&1 || true
  [ -n "$(nginx_binary)" ] || { echo "nginx is still missing after apt-get install nginx" >&2; exit 1; }
}

start() {
  local folder=$1 port=$2 user=$3 password=$4
  install_nginx
  local nginx
  nginx=$(nginx_binary)
  mkdir -p "$folder/www/repo" "$folder/tmp"
  printf '%s:%s\n' "$user" "$(openssl passwd -apr1 "$password")" > "$folder/htpasswd"
  local run_as=""
  if [ "$(id -u)" -eq 0 ]; then
    # workers would otherwise drop to nobody, who cannot write the test's folder
    run_as="user $(id -un) $(id -gn);"
  fi
  cat > "$folder/nginx.conf" <<CONF
$run_as
worker_processes 1;
pid $folder/nginx.pid;
error_log $folder/error.log info;
events { worker_connections 64; }
http {
  access_log $folder/access.log;
  client_body_temp_path $folder/tmp/body;
  proxy_temp_path $folder/tmp/proxy;
  fastcgi_temp_path $folder/tmp/fastcgi;
  uwsgi_temp_path $folder/tmp/uwsgi;
  scgi_temp_path $folder/tmp/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$port;
    root $folder/www;
    location /repo/ {
      dav_methods PUT DELETE MKCOL COPY MOVE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      auth_basic "dsynq tests";
      auth_basic_user_file $folder/htpasswd;
      autoindex on;
    }
  }
}
CONF
  "$nginx" -e "$folder/error.log" -p "$folder" -c "$folder/nginx.conf"
  for _ in $(seq 1 50); do
    if [ -s "$folder/nginx.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "nginx serves http://127.0.0.1:$port/repo/ (pid $(cat "$folder/nginx.pid"))"
      return 0
    fi
    sleep 0.1
  done
  echo "nginx did not come up on 127.0.0.1:$port; see $folder/error.log" >&2
  cat "$folder/error.log" >&2 || true
  exit 1
}

stop() {
  local folder=$1
  if [ -s "$folder/nginx.pid" ]; then
    local pid
    pid=$(cat "$folder/nginx.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || { echo "nginx stopped"; return 0; }
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

case "${1:-}" in
  install) install_nginx ;;
  start) start "$2" "$3" "$4" "$5" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 install | start <folder> <port> <user> <password> | stop <folder>" >&2; exit 2 ;;
esac
