#!/usr/bin/env python3
"""check_includes.py: the include rule of docs/architecture.md, checked on
every #include "..." in lib/, cli/ and httpd/. Exits 1 and prints
file:line: why for each include that breaks it.

The library's folders are layers. A file in lib/LAYER may include headers of
its own folder by bare name, the public <galen/*.h>, and "OTHER/x.h" only
where OTHER is in ALLOWED[LAYER]. The apps (cli/, httpd/) include the public
headers, lib/base by bare name and their own headers, nothing else of lib/.
There are no exceptions: what an app needs of the library is public API."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Which other layers each layer may include, lowest first.
ALLOWED = {
    "base": set(),
    "text": {"base"},
    "index": {"base", "text"},
    "search": {"base", "text", "index"},
    "content": {"base", "text", "index"},
    "import": {"base", "text", "content"},
    "answer": {"base", "text", "index", "search", "content/doc.h",
               "content/datadir.h"},
    "eval": {"base"},
    "service": {"base", "content"},
    "api": {"base", "text", "index", "search", "content", "import",
            "answer", "eval", "service"},
}
APPS = ("cli", "httpd")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def lib_headers(layer):
    d = os.path.join(ROOT, "lib", layer)
    return {f for f in os.listdir(d) if f.endswith(".h")}


def check_lib(layer, rel, target):
    if "/" not in target:
        if target in lib_headers(layer):
            return None
        return "%s is not a header of lib/%s" % (target, layer)
    other, name = target.split("/", 1)
    if other not in ALLOWED:
        return "%s: no such layer" % target
    if not os.path.exists(os.path.join(ROOT, "lib", other, name)):
        return "%s: no such header" % target
    ok = ALLOWED[layer]
    if other in ok or target in ok:
        return None
    return "lib/%s may not include %s (layer %s is not below it)" % (
        layer, target, other)


def check_app(app, rel, target):
    if "/" not in target:
        for d in (app, "cli", "httpd", "lib/base"):
            if os.path.exists(os.path.join(ROOT, d, target)):
                return None
        return "%s: not an app header nor one of lib/base" % target
    return "%s may include only <galen/*.h>, lib/base and app headers, " \
           "not %s" % (app, target)


def main():
    errors = []
    for top in ("lib",) + APPS:
        for d, _, files in sorted(os.walk(os.path.join(ROOT, top))):
            for fn in sorted(files):
                if not fn.endswith((".c", ".h")):
                    continue
                path = os.path.join(d, fn)
                rel = os.path.relpath(path, ROOT)
                with open(path, encoding="utf-8") as f:
                    for no, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(1)
                        if top == "lib":
                            layer = rel.split("/")[1]
                            why = check_lib(layer, rel, target)
                        else:
                            why = check_app(top, rel, target)
                        if why:
                            errors.append("%s:%d: %s" % (rel, no, why))
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print("check_includes: %d include(s) break the rule "
              "(docs/architecture.md)" % len(errors), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
