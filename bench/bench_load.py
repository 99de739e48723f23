"""Load on the route endpoint over loopback: wrk, 50 concurrent clients, 60 s (issue targets:
p50 < 10 ms, p99 < 100 ms, no errors).

Two runs against one server process: *repeated* requests cycle through common lanes (answered from
the server's cache of recent URLs, as a busy planner's would be), and *unique* requests carry a
random bulk cargo mass, so that every one is computed afresh.

    .venv/bin/python bench/bench_load.py [--seconds 60] [--connections 50]

Needs wrk (Debian: apt-get install wrk); installs nothing itself. The server and wrk share the
machine's cores, so figures are conservative.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PAIRS = [("Mumbai", "Moscow"), ("Baku", "Tbilisi"), ("Aktau", "Baku"), ("Tehran", "Yerevan"), ("Xian", "Istanbul"),
         ("Urumqi", "Warsaw"), ("Baku", "Nakhchivan"), ("Shanghai", "Rotterdam"), ("Almaty", "Istanbul"),
         ("Moscow", "Tehran"), ("Yerevan", "Poti"), ("Bandar Abbas", "Baku")]

LUA = """
local pairs_ = {%(pairs)s}
local objectives = {"time", "cost", "co2", "distance", "generalized"}
local unique = %(unique)s
local i = 0
request = function()
  i = i + 1
  local p = pairs_[(i %% #pairs_) + 1]
  local path = "/api/route?origin=" .. p[1] .. "&destination=" .. p[2]
  if unique then  -- a random bulk mass makes every request distinct, so none is answered from a cache
    path = path .. "&objective=" .. objectives[math.random(#objectives)] .. "&cargo=t:" .. math.random(1, 1000000000)
  end
  return wrk.format("GET", path)
end
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, unique: bool, seconds: int, connections: int) -> dict[str, float]:
    pairs = ", ".join('{"%s", "%s"}' % (o.replace(" ", "%20"), d.replace(" ", "%20")) for o, d in PAIRS)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % {"pairs": pairs, "unique": "true" if unique else "false"})
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", f.name, url],
                         capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {"p50_ms": _ms(latency["50"]), "p90_ms": _ms(latency["90"]), "p99_ms": _ms(latency["99"]),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)), "errors": errors + non2xx}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    port = _port()
    db = Path(tempfile.mkdtemp()) / "load.sqlite"
    server = subprocess.Popen([sys.executable, "-m", "corridors", "serve", "--port", str(port), "--db", str(db)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        for origin, destination in PAIRS:  # warm-up: each repeated lane computed once before timing
            query = f"origin={origin.replace(' ', '%20')}&destination={destination.replace(' ', '%20')}"
            urllib.request.urlopen(f"{url}/api/route?{query}", timeout=30).read()
        for unique in (False, True):
            r = run_wrk(url, unique, args.seconds, args.connections)
            kind = "unique requests (computed)" if unique else "repeated lanes (cached)"
            print(f"{kind:28s} {args.connections} clients x {args.seconds} s: {r['requests']:,} requests, "
                  f"{r['rps']:,.0f}/s, p50 {r['p50_ms']:.2f} ms, p90 {r['p90_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                  f"errors {r['errors']}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
