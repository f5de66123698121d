#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""cluster_load.py: bounded load through the load balancer for cluster.sh.

Reader threads send GETs (/api/ask, /api/search, /api/ready); writer
threads post replies to one patient question as a specialist. Every
response status is counted, and the id of every acknowledged write (a 201)
is kept, so the caller can check afterwards that each is in the store.
Runs until --seconds have passed or the file named by --stop exists, then
prints one JSON object:

  {"get": {"200": n, ...}, "post": {"201": n, "502": n, ...},
   "acked": [reply ids], "get_failures": ["status path", ...],
   "window": [first, last] seconds of non-201 writes (or null)}

A status of 0 means the connection failed (no HTTP answer at all).
"""
import argparse
import http.client
import json
import os
import random
import threading
import time
import urllib.parse

QUESTIONS = [
    "what causes leg cramps at night",
    "is magnesium good for muscle cramps",
    "when should I worry about a calf cramp",
    "how do I stretch a cramp",
    "cramps in pregnancy",
]


def request(host, port, method, path, body=None, headers=None, timeout=15):
    """One request on a fresh connection: (status, body bytes)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    except (OSError, http.client.HTTPException):
        return 0, b""
    finally:
        conn.close()


class Load:
    def __init__(self, a):
        u = urllib.parse.urlsplit(a.base)
        self.host, self.port = u.hostname, u.port
        self.a = a
        self.lock = threading.Lock()
        self.get = {}
        self.post = {}
        self.acked = []
        self.get_failures = []
        self.window = None
        self.t0 = time.monotonic()
        self.deadline = self.t0 + a.seconds

    def done(self):
        return time.monotonic() >= self.deadline or (
            self.a.stop and os.path.exists(self.a.stop))

    def count(self, table, status):
        table[str(status)] = table.get(str(status), 0) + 1

    def reader(self, seed):
        rnd = random.Random(seed)
        while not self.done():
            q = urllib.parse.quote(rnd.choice(QUESTIONS))
            path = rnd.choice([f"/api/ask?q={q}", f"/api/search?q={q}&k=5",
                               "/api/ready"])
            status, _ = request(self.host, self.port, "GET", path)
            with self.lock:
                self.count(self.get, status)
                if status != 200:
                    self.get_failures.append(f"{status} {path}")

    def writer(self, seed):
        rnd = random.Random(seed)
        n = 0
        while not self.done():
            n += 1
            body = json.dumps({"body": f"load reply {seed}-{n}"})
            status, data = request(
                self.host, self.port, "POST",
                f"/api/questions/{self.a.question}/replies", body,
                {"Content-Type": "application/json",
                 "Authorization": f"Bearer {self.a.token}"})
            now = round(time.monotonic() - self.t0, 2)
            with self.lock:
                self.count(self.post, status)
                if status == 201:
                    self.acked.append(json.loads(data)["id"])
                elif self.window is None:
                    self.window = [now, now]
                else:
                    self.window[1] = now
            if status != 201:
                time.sleep(0.05)  # a client backing off, as Retry-After asks
            time.sleep(rnd.uniform(0, self.a.write_pause))

    def run(self):
        threads = [threading.Thread(target=self.reader, args=(i,))
                   for i in range(self.a.readers)]
        threads += [threading.Thread(target=self.writer, args=(100 + i,))
                    for i in range(self.a.writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return {"get": self.get, "post": self.post, "acked": self.acked,
                "get_failures": self.get_failures[:20],
                "window": self.window,
                "seconds": round(time.monotonic() - self.t0, 2)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--question", required=True, type=int)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--stop", help="stop early once this file exists")
    p.add_argument("--readers", type=int, default=6)
    p.add_argument("--writers", type=int, default=2)
    p.add_argument("--write-pause", type=float, default=0.05)
    print(json.dumps(Load(p.parse_args()).run()))


if __name__ == "__main__":
    main()
