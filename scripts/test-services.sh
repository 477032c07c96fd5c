#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL and Redis, then stop both and delete their data.
#
#   scripts/test-services.sh COMMAND [ARG...]
#
# Installs redis-server, chromium, postgresql and gettext (msgfmt) with apt-get when they are missing.
# COMMAND gets PORTAL_ENV=test, DATABASE_URL and REDIS_URL; the script exits with its status.
set -euo pipefail

# Debian's layout: /usr/lib/postgresql/<version>/bin. Prints the newest, fails if there is none.
postgres_bin_dir() {
	local pg_ctl
	pg_ctl=$(find /usr/lib/postgresql -path '*/bin/pg_ctl' 2>/dev/null | sort -V | tail -n 1) || true
	[[ -n $pg_ctl ]] && dirname "$pg_ctl"
}

install_missing_packages() {
	local missing=()
	command -v redis-server >/dev/null || missing+=(redis-server)
	command -v msgfmt >/dev/null || missing+=(gettext)
	command -v chromium >/dev/null || missing+=(chromium)
	postgres_bin_dir >/dev/null || missing+=(postgresql)
	if ((${#missing[@]})); then
		echo "Installing ${missing[*]} with apt-get" >&2
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
	fi
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# initdb refuses to run as root, so as root the server runs as Debian's postgres user.
as_postgres() {
	if ((EUID == 0)); then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start_postgres() {
	pg_bin=$(postgres_bin_dir)
	pg_port=$(free_port)
	if ((EUID == 0)); then
		chown postgres: "$tmp"
	fi
	as_postgres "$pg_bin/initdb" --pgdata="$tmp/pgdata" --username=postgres --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
	# Durability is pointless for data deleted at exit; without it the suite runs faster.
	cat >>"$tmp/pgdata/postgresql.conf" <<-CONF
		listen_addresses = '127.0.0.1'
		port = $pg_port
		unix_socket_directories = '$tmp'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
	CONF
	as_postgres "$pg_bin/pg_ctl" --pgdata="$tmp/pgdata" --log="$tmp/postgres.log" --wait --silent start ||
		{ cat "$tmp/postgres.log" >&2; return 1; }
	"$pg_bin/createdb" --host=127.0.0.1 --port="$pg_port" --username=postgres portal
	echo "PostgreSQL $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$pg_port" >&2
}

start_redis() {
	redis_port=$(free_port)
	redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --dir "$tmp" \
		>"$tmp/redis.log" 2>&1 &
	redis_pid=$!
	for _ in {1..50}; do
		if [[ $(redis-cli -p "$redis_port" ping 2>/dev/null) == PONG ]]; then
			echo "Redis on 127.0.0.1:$redis_port" >&2
			return 0
		fi
		sleep 0.1
	done
	cat "$tmp/redis.log" >&2
	return 1
}

stop_services() {
	if [[ -n ${redis_pid:-} ]]; then
		kill "$redis_pid" 2>/dev/null || true
		wait "$redis_pid" 2>/dev/null || true
	fi
	if [[ -f $tmp/pgdata/postmaster.pid ]]; then
		as_postgres "$pg_bin/pg_ctl" --pgdata="$tmp/pgdata" --mode=immediate --silent stop || true
	fi
	rm -rf "$tmp"
}

if (($# == 0)); then
	echo "usage: $0 COMMAND [ARG...]" >&2
	exit 64
fi

install_missing_packages
tmp=$(mktemp -d -t portal-test.XXXXXX)
trap stop_services EXIT
# Without these, bash would die of the signal without running the EXIT trap.
trap 'exit 130' INT
trap 'exit 143' TERM
start_postgres
start_redis

export PORTAL_ENV=test
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/portal"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
"$@"
