# ci-postgres.sh — make a PostgreSQL server answer on 127.0.0.1:5432 for the
# store tests, then require them. Source it from .ci/run (bash, root, Debian):
#
#   . "$(dirname "$0")/postgres.sh"      # or wherever this snippet lands
#
# It installs PostgreSQL from Debian if absent, makes sure 127.0.0.1 uses
# trust authentication and that a `test` database exists, starts the
# cluster if nothing answers, waits for pg_isready, and exports
# MOLEHUNT_REQUIRE_POSTGRES=1 so that the postgres tests fail instead of
# skipping. Idempotent: on a machine where the server already runs it only
# checks and exports.

molehunt_pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

molehunt_pg_setup() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then
    echo "postgres: installing from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  fi

  local ver hba changed=0
  ver=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [ -z "$ver" ]; then
    echo "postgres: no cluster under /etc/postgresql" >&2
    return 1
  fi
  hba="/etc/postgresql/$ver/main/pg_hba.conf"
  # The first matching line of pg_hba.conf wins, so trust goes on top.
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    echo "postgres: trusting 127.0.0.1 in $hba"
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    changed=1
  fi

  if molehunt_pg_ready; then
    echo "postgres: already answering on 127.0.0.1:5432"
    if [ "$changed" = 1 ]; then
      pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
    fi
  else
    echo "postgres: starting cluster $ver/main"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  fi

  local i
  for i in $(seq 1 60); do
    molehunt_pg_ready && break
    sleep 1
  done
  if ! molehunt_pg_ready; then
    echo "postgres: not answering on 127.0.0.1:5432 after 60s" >&2
    return 1
  fi

  # Through the local socket as the postgres user (peer authentication),
  # which works whatever 127.0.0.1's rules were before.
  if [ "$(runuser -u postgres -- psql -XtAc "SELECT 1 FROM pg_database WHERE datname = 'test'")" != 1 ]; then
    echo "postgres: creating database test"
    runuser -u postgres -- createdb test
  fi
  psql -X -h 127.0.0.1 -U postgres -d test -tAc 'SELECT 1' >/dev/null

  export MOLEHUNT_POSTGRES_URL="${MOLEHUNT_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
  export MOLEHUNT_REQUIRE_POSTGRES=1
  echo "postgres: ready at $MOLEHUNT_POSTGRES_URL (MOLEHUNT_REQUIRE_POSTGRES=1)"
}

molehunt_pg_setup || { echo "postgres: setup failed" >&2; exit 1; }
