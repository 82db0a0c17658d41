#!/usr/bin/env bash
# A newcomer's first hour, automated: clone the repository into a temporary folder and run the README's two commands as a
# new user with an empty home folder (no NuGet cache, no .NET state, nothing of ours), the way someone who just cloned it
# would. Run as root (it creates and removes a throwaway user); not part of ./test or CI, because the second command is
# the whole test suite after a restore from nuget.org.
#
#   tests/clean-clone.sh [--no-test] [REPOSITORY]      REPOSITORY: a path or URL; default this checkout (its HEAD commit)
#
# Steps, each timed: machine set-up as root (./test --setup-only: PostgreSQL, Chromium, CJK fonts, curl); git clone as the
# user; `dotnet run --project api/OpenData.Api` as the user until /readyz answers, a look at the seeded catalogue, then a
# graceful stop; `./test` as the user (skipped with --no-test). The user, its home and the clone are removed at the end.
set -euo pipefail
run_tests=1
if [ "${1:-}" = "--no-test" ]; then run_tests=0; shift; fi
here="$(cd "$(dirname "$0")/.." && pwd)"
repository="${1:-$here}"
branch=""
if [ -z "${1:-}" ]; then branch="$(git -C "$here" rev-parse --abbrev-ref HEAD)"; fi
[ "$(id -u)" -eq 0 ] || { echo "clean-clone: run as root (it creates a throwaway user)" >&2; exit 2; }

user="odnew$$"
home="$(mktemp -d /tmp/opendata-newcomer.XXXXXX)"
cleanup() {
  pkill -TERM -u "$user" 2>/dev/null || true
  sleep 1
  pkill -KILL -u "$user" 2>/dev/null || true
  userdel "$user" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT
step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
started=$(date +%s)

step "machine set-up as root: ./test --setup-only from the checkout"
"$here/test" --setup-only

step "a new user $user with an empty home folder $home"
useradd --home-dir "$home" --no-create-home --shell /bin/bash "$user"
chown "$user": "$home"
chmod 700 "$home"

step "git clone $repository ${branch:+(branch $branch)} as $user"
# Cloned by root from a checkout root owns (git refuses another user's repository), then handed to the user.
git clone --quiet --no-hardlinks ${branch:+--branch "$branch"} "$repository" "$home/opendata"
chown -R "$user": "$home/opendata"
as_user() { su - "$user" -s /bin/bash -c "cd ~/opendata && export DOTNET_CLI_TELEMETRY_OPTOUT=1 && $1"; }
as_user "git log --oneline -1"

port=5080
urls=""
if ss -ltn | grep -q ':5080 '; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  urls=" -- --urls http://127.0.0.1:$port"
  echo "5080 is taken on this machine: the host gets --urls http://127.0.0.1:$port"
fi

step "README command 1 as $user: dotnet run --project api/OpenData.Api$urls"
t0=$(date +%s)
as_user "setsid dotnet run --project api/OpenData.Api$urls > ~/run.log 2>&1 < /dev/null &"
ready=0
for _ in $(seq 1 600); do
  if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then ready=1; break; fi
  sleep 1
done
if [ "$ready" -ne 1 ]; then
  echo "clean-clone: the host did not become ready within 10 minutes; its output:" >&2
  tail -n 40 "$home/run.log" >&2
  exit 1
fi
echo "ready after $(( $(date +%s) - t0 )) s (restore, build, migrate, seed)"
curl -s "http://127.0.0.1:$port/readyz"; echo
datasets=$(curl -s "http://127.0.0.1:$port/v1/datasets?limit=100" | grep -o '"id":"[^"]*"' | cut -d'"' -f4 | tr '\n' ' ')
echo "datasets: $datasets"
case "$datasets" in *ningbo-villages*hotline*|*hotline*ningbo-villages*) ;; *ningbo-villages*) ;; *) echo "clean-clone: the seed is missing" >&2; exit 1;; esac
[ -f "$home/opendata/data/opendata.db" ] || { echo "clean-clone: data/opendata.db is not in the clone's folder" >&2; exit 1; }
# Ctrl+C for the host (the apphost `dotnet run` started), as at a terminal; `dotnet run` ends with it.
pkill -INT -u "$user" -x OpenData.Api
for _ in $(seq 1 60); do pgrep -u "$user" -f 'dotnet run' >/dev/null || break; sleep 0.5; done
if pgrep -u "$user" -f 'dotnet run' >/dev/null; then echo "clean-clone: the host did not stop on Ctrl+C" >&2; exit 1; fi
grep -q "Application is shutting down" "$home/run.log" && echo "stopped gracefully"

if [ "$run_tests" -eq 1 ]; then
  step "README command 2 as $user: ./test"
  t0=$(date +%s)
  status=0
  as_user "./test" > "$home/test.log" 2>&1 || status=$?
  tail -n 15 "$home/test.log"
  echo "./test exited $status after $(( $(date +%s) - t0 )) s"
  if [ "$status" -ne 0 ]; then
    kept="$(mktemp /tmp/clean-clone-test.XXXXXX.log)"
    cp "$home/test.log" "$kept"
    grep -E -A8 "^\s+Failed " "$home/test.log" | head -n 60 || true
    echo "the whole output of ./test is kept in $kept"
    exit "$status"
  fi
fi

step "done in $(( $(date +%s) - started )) s"
