#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# public_headers.sh: every public header stands alone with -Iinclude only,
# in C17 and in C++ (the extern "C" guards), and a C++ program links
# against libgalen.a and gets the library's errors back through the API.
set -u
. "$(dirname "$0")/lib.sh"

root=$(cd "$(dirname "$0")/../.." && pwd)
lib=$(dirname "$GALEN")/libgalen.a
libs="$(pkg-config --libs sqlite3 libxml-2.0 libcjson libzstd libsodium zlib yaml-0.1) -lstemmer -lm -lpthread"
# Under MODE=asan the library is instrumented: link the program the same way.
san=""
if nm "$lib" 2>/dev/null | grep -q __asan_init; then
    san="-fsanitize=address,undefined"
fi

for h in "$root"/include/galen/*.h; do
    n=${h##*/}
    printf '#include <galen/%s>\ntypedef int header_alone_ok;\n' "$n" >"$tmp/one.c"
    check "$n compiles alone as C17" \
        gcc -std=c17 -Wall -Wextra -Werror -pedantic -fsyntax-only \
        -I"$root/include" "$tmp/one.c"
    check "$n compiles alone as C++" \
        g++ -std=c++17 -Wall -Wextra -Werror -fsyntax-only -x c++ \
        -I"$root/include" "$tmp/one.c"
done

cat >"$tmp/use.cc" <<'CC'
#include <galen/answer.h>
#include <galen/error.h>
#include <galen/eval.h>
#include <galen/search.h>
#include <galen/service.h>
#include <galen/store.h>
#include <cstdio>
#include <cstring>

int main()
{
    struct galen_service *svc = nullptr;
    struct galen_qrels *q = nullptr;

    if (std::strcmp(galen_strerror(GALEN_ENOENT), "no such file or object"))
        return 1;
    if (galen_service_open("/nonexistent-galen/x/store.db", &svc) == GALEN_OK ||
        svc || !*galen_service_errmsg(nullptr))
        return 2;
    if (galen_qrels_parse("q d 1\nq e x\n", 12, "x.tsv", &q) != GALEN_EPARSE ||
        q ||
        !std::strstr(galen_eval_errmsg(), "x.tsv:2:"))
        return 3;
    std::puts("ok");
    return 0;
}
CC
# shellcheck disable=SC2086 # $san and $libs are lists of flags
check "a C++ program links and calls the API" \
    g++ -std=c++17 -Wall -Werror $san -I"$root/include" -o "$tmp/use" \
    "$tmp/use.cc" "$lib" $libs
check "the C++ program runs" test "$("$tmp/use")" = ok

finish
