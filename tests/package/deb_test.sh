#!/usr/bin/env bash
# The .deb, for real: build it with cpack, `dpkg -i` it, check the command,
# the man page and the completions are where the system finds them, then
# `dpkg -r` it and check they are gone.
#   deb_test.sh [BUILD_DIR]   (default: build; a configured and built tree)
#
# This installs a package on the machine, so it is NOT a ctest test: it runs
# as a stage of .ci/run (root, throwaway machine). Run it by hand only where
# that is fine; it removes the package again, also when a check fails.
set -euo pipefail

build=${1:-build}
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
die() { echo "deb_test: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (it runs dpkg -i and dpkg -r)"
for tool in cpack dpkg dpkg-deb dpkg-query; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ -f "$build/CPackConfig.cmake" ] || die "$build is not a configured build folder (no CPackConfig.cmake)"
[ -x "$build/followup" ] || die "$build/followup is not built"

# Never clobber a followup that is already on the machine.
status=$(dpkg-query -W -f='${Status}' followup 2>/dev/null || true)
case $status in *" installed") die "the followup package is already installed; dpkg -r followup first" ;; esac
[ ! -e /usr/bin/followup ] || die "/usr/bin/followup already exists (not from this test); remove it first"

build=$(cd "$build" && pwd)
tmp=$(mktemp -d)
installed=0
cleanup() {
  if [ "$installed" = 1 ]; then
    echo "deb_test: cleaning up: dpkg -r followup"
    dpkg -r followup >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# ---- Build the package ----
rm -f "$build"/followup_*.deb
(cd "$build" && cpack -G DEB) >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; die "cpack -G DEB failed"; }
debs=("$build"/followup_*.deb)
[ -f "${debs[0]}" ] && [ "${#debs[@]}" = 1 ] || { cat "$tmp/cpack.log" >&2; die "cpack made no single followup_*.deb"; }
deb=${debs[0]}
ok "built $(basename "$deb")"

# ---- Its control fields and contents ----
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = followup ] && ok "Package: followup" || fail "Package is '$(field Package)'"
[ "$(field Section)" = utils ] && ok "Section: utils" || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] && ok "Maintainer: $(field Maintainer)" || fail "no Maintainer"
[ -n "$(field Description)" ] && ok "Description: $(field Description | head -n 1)" || fail "no Description"
depends=$(field Depends)
# The binary needs only what `ldd` names: libc (libstdc++, libgcc and fmt are
# linked in), and the package must say so, no more and no less.
needed=$(ldd "$build/followup" | awk '{print $1}' | grep -v -e linux-vdso -e ld-linux)
for soname in $needed; do
  case "$soname" in
    libc.so.6|libm.so.6) lib=libc6 ;;
    libstdc++.so.6) lib='libstdc++6' ;;
    libgcc_s.so.1) lib=libgcc-s1 ;;
    *) fail "followup links $soname, which the package does not know" ;;
  esac
  [[ ",$depends," == *[\ ,]"$lib"[\ ,\(]* ]] || fail "Depends lacks $lib (for $soname): $depends"
done
for lib in libfmt9 libsimdjson14; do
  [[ ",$depends," != *"$lib"* ]] || fail "Depends names $lib, which followup no longer links: $depends"
done
ok "Depends: $depends (ldd: $(echo $needed))"

files=(/usr/bin/followup /usr/share/man/man1/followup.1
  /usr/share/bash-completion/completions/followup
  /usr/share/zsh/vendor-completions/_followup
  /usr/share/fish/vendor_completions.d/followup.fish)
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\.||' >"$tmp/contents"
for f in "${files[@]}"; do
  grep -qxF "$f" "$tmp/contents" && ok "in the package: $f" || fail "not in the package: $f"
done

# ---- Install ----
dpkg -i "$deb" >"$tmp/dpkg-i.log" 2>&1 || { cat "$tmp/dpkg-i.log" >&2; installed=1; die "dpkg -i failed"; }
installed=1
ok "dpkg -i $(basename "$deb")"

export NO_COLOR=1 HOME=$tmp
unset FOLLOWUP_FILE FOLLOWUP_TODAY
[ "$(command -v followup)" = /usr/bin/followup ] && ok "followup is /usr/bin/followup" || fail "followup on PATH is '$(command -v followup || true)'"
version=$(followup --version 2>&1) && [[ $version == "followup $(field Version)" ]] &&
  ok "followup --version = $version" || fail "followup --version printed '$version' (package $(field Version))"

# dpkg may be told not to install man pages (path-exclude, minimal images).
man_excluded=0
if grep -qsE '^path-exclude[= ]+/usr/share/man/' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
  man_excluded=1
  echo "note: dpkg excludes /usr/share/man on this machine; the man page was checked in the package only"
fi
for f in "${files[@]}"; do
  [ "$f" = /usr/share/man/man1/followup.1 ] && [ "$man_excluded" = 1 ] && continue
  [ -s "$f" ] && ok "installed: $f" || fail "not installed: $f"
done
if [ "$man_excluded" = 0 ] && command -v man >/dev/null 2>&1; then
  where=$(man -w followup 2>&1) && [ "$where" = /usr/share/man/man1/followup.1 ] &&
    ok "man -w followup = $where" || fail "man -w followup printed '$where'"
  MANPAGER=cat man followup >"$tmp/man.out" 2>"$tmp/man.err" && [ ! -s "$tmp/man.err" ] &&
    grep -q followup "$tmp/man.out" && ok "man followup renders" || { fail "man followup:"; cat "$tmp/man.err" >&2; }
fi

# The shells find the completions where they look by themselves.
reg=$(bash --norc --noprofile -c 'source /usr/share/bash-completion/completions/followup && complete -p followup' 2>&1) &&
  ok "bash: $reg" || fail "bash: sourcing the completion did not register it: $reg"
if [ -f /usr/share/bash-completion/bash_completion ]; then
  reg=$(bash --norc --noprofile -c 'source /usr/share/bash-completion/bash_completion && __load_completion followup && complete -p followup' 2>&1) &&
    ok "bash-completion loads it on demand: $reg" || fail "bash-completion did not load it: $reg"
fi
if command -v zsh >/dev/null 2>&1; then
  comp=$(zsh -f -c 'autoload -Uz compinit && compinit -u -D && print -r -- $_comps[followup]' 2>&1) &&
    [ "$comp" = _followup ] && ok "zsh compinit: followup -> $comp" || fail "zsh compinit did not find _followup: $comp"
fi
if command -v fish >/dev/null 2>&1; then
  got=$(fish -c 'complete -C "followup "' 2>&1 | cut -f1 | tr '\n' ' ')
  [[ " $got " == *" due "* ]] && ok "fish completes: followup due ..." || fail "fish does not complete followup subcommands: $got"
fi

# ---- Remove ----
dpkg -r followup >"$tmp/dpkg-r.log" 2>&1 || { cat "$tmp/dpkg-r.log" >&2; fail "dpkg -r followup failed"; }
installed=0
ok "dpkg -r followup"
status=$(dpkg-query -W -f='${Status}' followup 2>/dev/null || true)
[[ $status != *" installed" ]] && ok "package status: ${status:-not installed}" || fail "still installed: $status"
hash -r
if command -v followup >/dev/null 2>&1 || [ -e /usr/bin/followup ]; then
  fail "followup is still there after dpkg -r: $(command -v followup || echo /usr/bin/followup)"
else
  ok "the binary is gone"
fi
for f in "${files[@]}"; do
  [ ! -e "$f" ] || fail "still there after dpkg -r: $f"
done

if [ "$fails" -ne 0 ]; then
  echo "deb_test: $fails check(s) failed" >&2
  exit 1
fi
echo "deb_test: all checks passed"
