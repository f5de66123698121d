#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# install.sh: `make install DESTDIR=$tmp PREFIX=/usr` from the release
# build, then:
#   - the installed tree holds every file it should, libgalen.so.0 has its
#     soname, and both libraries export galen_* only (all of the public
#     functions, nothing else);
#   - embed.c, compiled with nothing but `pkg-config --cflags --libs galen`
#     (shared, then --static with no libgalen.so around), opens a data
#     folder, searches and asks, and its own buf_init does not clash;
#   - the installed galen, run from another folder, raises a red flag for a
#     swollen, hot, one-sided calf and serves with its web files; without
#     its share folder it names the missing file and will not ask or serve;
#   - a galen installed under another PREFIX finds its files there even when
#     the binary is copied elsewhere (the compiled-in share dir);
#   - `make uninstall` leaves no file behind.
# It rebuilds build/release's galen for each PREFIX and restores the default
# one at the end. Prints "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/lib.sh"

dest=$tmp/dest
usr=$dest/usr
share=$usr/share/galen
calf="my left calf is swollen, hot and red"
mk() { # a make of its own: not the jobserver or the MODE of `make check`
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$root" -s -j2 MODE=release "$@" >"$tmp/make.log" 2>&1 ||
		{
			cat "$tmp/make.log"
			return 1
		}
}
files() { (cd "$1" && find . \( -type f -o -type l \) | sort); }

if ! mk install DESTDIR="$dest" PREFIX=/usr; then
	bad "make install"
	finish
	exit
fi

# --- the installed tree ------------------------------------------------------
for f in bin/galen lib/libgalen.so.0 lib/libgalen.so lib/libgalen.a \
	lib/pkgconfig/galen.pc include/galen/search.h include/galen/answer.h \
	include/galen/export.h share/galen/redflags.txt share/galen/lexicon.tsv \
	share/galen/companions.tsv share/galen/answer-model.tsv \
	share/galen/LICENSE share/galen/web/style.css share/galen/web/app.js \
	share/man/man1/galen.1 share/man/man3/libgalen.3; do
	check "installed $f" test -e "$usr/$f"
done
check "pack installed" [ "$(ls "$share/pack" | wc -l)" -eq "$(ls "$root/data/pack" | wc -l)" ]
check "soname libgalen.so.0" sh -c "readelf -d '$usr/lib/libgalen.so.0' | grep -q 'SONAME.*\[libgalen.so.0\]'"
check "galen.pc prefix /usr" grep -qx 'prefix=/usr' "$usr/lib/pkgconfig/galen.pc"
lacks "galen.pc without libmicrohttpd" "$(cat "$usr/lib/pkgconfig/galen.pc")" microhttpd
check "man pages name the share dir" grep -q '/usr/share/galen/redflags.txt' "$usr/share/man/man1/galen.1"
for m in "$usr/share/man/man1/galen.1" "$usr/share/man/man3/libgalen.3"; do
	expect "groff ${m##*/}" 0 groff -man -ww -z "$m"
	check "groff ${m##*/} quiet" [ -z "$err" ]
done

# --- exported symbols: galen_* only, and every public function ---------------
# Every function and data array declared in include/galen (a line that
# starts at column 0 with a type or a galen_ name), marked GALEN_API or not:
# one left unmarked is hidden, and the check below names it.
awk '/^(#|\/\*| \*|}|typedef)/ { next }
	/^[A-Za-z]/ && match($0, /galen_[a-z0-9_]+[(\[]/) { print substr($0, RSTART, RLENGTH - 1) }' \
	"$root"/include/galen/*.h | sort -u >"$tmp/public"
nm -D --defined-only "$usr/lib/libgalen.so.0" | awk '{ print $NF }' | sort -u >"$tmp/so"
nm -g --defined-only "$usr/lib/libgalen.a" | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/a"
for lib in so a; do
	check "libgalen.$lib exports galen_* only: $(grep -v '^galen_' "$tmp/$lib" | head -5 | tr '\n' ' ')" \
		sh -c "! grep -qv '^galen_' '$tmp/$lib'"
	check "libgalen.$lib exports the public functions (GALEN_API missing?): $(comm -23 "$tmp/public" "$tmp/$lib" | head -5 | tr '\n' ' ')" \
		[ -z "$(comm -23 "$tmp/public" "$tmp/$lib")" ]
	check "libgalen.$lib exports no undeclared galen_*: $(comm -13 "$tmp/public" "$tmp/$lib" | head -5 | tr '\n' ' ')" \
		[ -z "$(comm -13 "$tmp/public" "$tmp/$lib")" ]
done
check "public functions found ($(wc -l <"$tmp/public"))" [ "$(wc -l <"$tmp/public")" -ge 60 ]

# --- a data folder, made by the installed galen from another folder ---------
mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
unset GALEN_SHARE GALEN_WEB GALEN_DATA
expect "installed galen imports the pack" 0 "$usr/bin/galen" import -q -d "$tmp/data" article "$share/pack"

# --- embed.c against the installed library, shared and static --------------
export PKG_CONFIG_PATH=$usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
cflags="-std=c17 -Wall -Wextra -Werror"
expect "cc embed.c, shared" 0 sh -c "cc $cflags -o '$tmp/embed_shared' '$root/tests/integration/embed.c' \$(pkg-config --cflags --libs galen)"
check "embed_shared needs libgalen.so.0" sh -c "readelf -d '$tmp/embed_shared' | grep -q 'NEEDED.*libgalen.so.0'"
expect "embed_shared runs" 0 env LD_LIBRARY_PATH="$usr/lib" "$tmp/embed_shared" "$tmp/data" "$share" "$calf"
contains "embed_shared searched" "$out" "hit "
check "embed_shared raised a red flag" sh -c "printf '%s' \"\$1\" | grep -Eq 'red flags [1-9]'" _ "$out"

# The static link sees only libgalen.a, as on a system without the .so.
mkdir -p "$tmp/static"
cp -a "$usr" "$tmp/static/"
rm -f "$tmp/static/usr/lib/"libgalen.so*
export PKG_CONFIG_PATH=$tmp/static/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$tmp/static
expect "cc embed.c, --static" 0 sh -c "cc $cflags -o '$tmp/embed_static' '$root/tests/integration/embed.c' \$(pkg-config --cflags --libs --static galen)"
check "embed_static has libgalen inside" sh -c "! readelf -d '$tmp/embed_static' | grep -q libgalen"
expect "embed_static runs" 0 "$tmp/embed_static" "$tmp/data" "$share" "$calf"
contains "embed_static searched" "$out" "hit "
check "embed_static raised a red flag" sh -c "printf '%s' \"\$1\" | grep -Eq 'red flags [1-9]'" _ "$out"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

# --- the installed galen, from another folder --------------------------------
expect "installed galen asks" 0 "$usr/bin/galen" ask -d "$tmp/data" --json "$calf"
check "installed galen raises the red flag" python3 -c \
	'import json,sys; a=json.loads(sys.argv[1]); sys.exit(0 if a["red_flags"] else 1)' "$out"
GALEN=$usr/bin/galen
if serve_start "$tmp/serve.log" -q -d "$tmp/data"; then
	health=$(curl -s "$base/api/health")
	contains "installed serve: engine up" "$health" '"engine":true'
	check "installed serve: web files" sh -c "curl -sf '$base/static/style.css' | cmp -s - '$root/web/style.css'"
	kill "$server_pid"
	wait "$server_pid" 2>/dev/null
else
	bad "installed galen serve did not start: $(cat "$tmp/serve.log")"
fi

# Without its share folder, the installed galen does not answer or serve.
mv "$share" "$share.off"
expect "ask without the safety files fails" 4 "$usr/bin/galen" ask -d "$tmp/data" "$calf"
contains "ask names the lexicon" "$err" "lexicon.tsv"
contains "ask names where it looked" "$err" "/usr/share/galen"
lacks "ask prints no answer" "$out" "calf"
expect "serve without the safety files fails" 4 timeout 10 "$usr/bin/galen" serve -q -d "$tmp/data" --listen 127.0.0.1:0
contains "serve says why" "$err" "not serving"
mkdir "$share"
cp "$share.off/lexicon.tsv" "$share/"
expect "ask without the red-flag rules fails" 4 "$usr/bin/galen" ask -d "$tmp/data" "$calf"
contains "ask names the red-flag rules" "$err" "redflags.txt"
rm -rf "$share"
mv "$share.off" "$share"

# --- the compiled-in share dir of another PREFIX ----------------------------
pfx=$tmp/pfx
if mk install PREFIX="$pfx"; then
	mkdir -p "$tmp/moved"
	cp "$pfx/bin/galen" "$tmp/moved/galen"
	expect "galen moved out of PREFIX asks" 0 "$tmp/moved/galen" ask -d "$tmp/data" --json "$calf"
	check "galen moved out of PREFIX raises the red flag" python3 -c \
		'import json,sys; a=json.loads(sys.argv[1]); sys.exit(0 if a["red_flags"] else 1)' "$out"
	check "uninstall PREFIX" mk uninstall PREFIX="$pfx"
	check "nothing left in PREFIX: $(files "$pfx" | head -3 | tr '\n' ' ')" [ -z "$(files "$pfx")" ]
else
	bad "make install PREFIX=$pfx"
fi

# --- uninstall ---------------------------------------------------------------
check "make uninstall" mk uninstall DESTDIR="$dest" PREFIX=/usr
check "nothing left behind: $(files "$dest" | head -3 | tr '\n' ' ')" [ -z "$(files "$dest")" ]

# build/release/galen back to the default PREFIX.
check "rebuild with the default PREFIX" mk all
finish
