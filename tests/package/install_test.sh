#!/usr/bin/env bash
# ctest: `cmake --install` puts every file where the system looks for it.
#   install_test.sh BUILD_DIR VERSION [CMAKE]
# Installs twice into a temp folder, once with --prefix and once with DESTDIR
# and --prefix /usr (as a package build does), and checks: the files land in
# the standard places, the binary runs, the completion files are what the
# binary prints, bash registers the completion when the file is sourced, and
# the man page renders with nothing on stderr.
set -euo pipefail

build=${1:?usage: install_test.sh BUILD_DIR VERSION}
version=${2:?usage: install_test.sh BUILD_DIR VERSION}
cmake=${3:-cmake}

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Nothing from the caller's book or colours leaks in.
unset FOLLOWUP_FILE FOLLOWUP_TODAY
export NO_COLOR=1 HOME=$tmp

check_tree() { # check_tree ROOT LABEL: ROOT is the prefix as seen on disk
  local root=$1 label=$2
  local bin=$root/bin/followup
  local man=$root/share/man/man1/followup.1
  local bash_c=$root/share/bash-completion/completions/followup
  local zsh_c=$root/share/zsh/vendor-completions/_followup
  local fish_c=$root/share/fish/vendor_completions.d/followup.fish

  for f in "$bin" "$man" "$bash_c" "$zsh_c" "$fish_c"; do
    if [ -s "$f" ]; then ok "$label: ${f#"$root"/}"; else fail "$label: ${f#"$root"/} is missing or empty"; fi
  done
  [ -x "$bin" ] || { fail "$label: bin/followup is not executable"; return; }

  # The binary runs.
  local out
  if out=$("$bin" --version 2>&1) && [ "$out" = "followup $version" ]; then
    ok "$label: followup --version = $out"
  else
    fail "$label: bin/followup --version printed '$out', expected 'followup $version'"
  fi

  # The installed scripts are exactly what the binary prints.
  local shell file
  for shell in bash zsh fish; do
    case $shell in bash) file=$bash_c ;; zsh) file=$zsh_c ;; fish) file=$fish_c ;; esac
    if [ -f "$file" ] && cmp -s "$file" <("$bin" completion "$shell"); then
      ok "$label: $shell completion file = followup completion $shell"
    else
      fail "$label: ${file#"$root"/} differs from \`followup completion $shell\`"
    fi
  done
  # zsh autoloads files in its fpath only with a #compdef line first.
  if [ -f "$zsh_c" ] && [ "$(head -n 1 "$zsh_c")" = "#compdef followup" ]; then
    ok "$label: _followup starts with #compdef followup"
  else
    fail "$label: _followup does not start with '#compdef followup'"
  fi

  # Sourced in a bare bash, the file registers the completion.
  local reg
  if reg=$(bash --norc --noprofile -c 'source "$1" && complete -p followup' _ "$bash_c" 2>&1) &&
    [[ $reg == complete*followup ]]; then
    ok "$label: bash registers: $reg"
  else
    fail "$label: sourcing the bash completion did not register followup: $reg"
  fi

  # The man page renders, with no warning.
  if ! command -v groff >/dev/null 2>&1; then
    fail "groff is not installed (apt-get install groff-base): cannot check the man page"
  else
    if groff -ww -man -Tutf8 -z "$man" 2>"$tmp/groff.err" && [ ! -s "$tmp/groff.err" ]; then
      ok "$label: groff -ww -man -Tutf8 -z renders the man page cleanly"
    else
      fail "$label: groff -ww -man -Tutf8 -z $man:"
      cat "$tmp/groff.err" >&2
    fi
  fi
  if command -v man >/dev/null 2>&1; then
    if MANPAGER=cat MANWIDTH=80 man -l "$man" >"$tmp/man.out" 2>"$tmp/man.err" &&
      [ ! -s "$tmp/man.err" ] && grep -q 'followup' "$tmp/man.out"; then
      ok "$label: man -l renders the man page cleanly"
    else
      fail "$label: man -l $man:"
      cat "$tmp/man.err" >&2
    fi
  else
    echo "note: man (man-db) is not installed; the man page was checked with groff only"
  fi
}

run_install() { # run_install LOGFILE ARGS...: cmake --install, log shown on failure
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    fail "$* failed:"
    cat "$log" >&2
    return 1
  fi
}

# 1. cmake --install BUILD --prefix TMP/prefix
if run_install "$tmp/install1.log" "$cmake" --install "$build" --prefix "$tmp/prefix"; then
  check_tree "$tmp/prefix" "--prefix"
fi

# 2. DESTDIR=TMP/stage cmake --install BUILD --prefix /usr: everything under
#    the stage, nothing outside it.
if run_install "$tmp/install2.log" env DESTDIR="$tmp/stage" "$cmake" --install "$build" --prefix /usr; then
  check_tree "$tmp/stage/usr" "DESTDIR"
  stray=$(find "$tmp/stage" -mindepth 1 -maxdepth 1 ! -name usr)
  [ -z "$stray" ] || fail "DESTDIR: files outside usr/: $stray"
fi

if [ "$fails" -ne 0 ]; then
  echo "install_test: $fails check(s) failed" >&2
  exit 1
fi
echo "install_test: all checks passed"
