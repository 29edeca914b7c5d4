"""The portal's side of bench/side_by_side.py alone, for quick before/after readings while working on a page:
`BENCH_DB=… python bench/portal_probe.py [name or /path …]` (names as in side_by_side.measures; default the HTML
lists).

Same server (gunicorn, 2 workers, DEBUG off), same client (wrk -t1 -c4, Connection: close) and the same CPU
accounting (gunicorn's processes plus the database backends) as the side-by-side run; no Redmine, nothing
written to docs/. Prints one line per page: req/s, p50, CPU ms per request, KB per response.
"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import side_by_side as sbs  # noqa: E402


def main():
    names = sys.argv[1:] or ["city-wide overdue list (HTML)", "one ward's overdue list (HTML)"]
    portal = sbs.subprocess_json("--credentials")
    server = sbs.portal_serve()
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(sbs.LUA)
    try:
        items = {m["name"]: m for m in sbs.measures(portal, "", "")}
        for name in names:
            # A path of its own ("/khong-co/") is read as the city official, like the HTML pages.
            url, header = items[name]["portal"] if name in items else (name, items["dashboard"]["portal"][1])
            r = sbs.wrk(
                f"http://127.0.0.1:{sbs.PORT}{url}",
                header,
                lambda: [server.pid, *sbs.children(server.pid), *sbs.pg_backends()],
                lua,
            )
            print(
                f"{name:34} {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.1f} ms  CPU {r['cpu_ms_per_request']:6.1f} "
                f"ms/req  {r['bytes_per_response'] / 1024:6.1f} KB  non200={int(r['non200'])} load={r['load']}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, 15)
        server.wait()
        lua.unlink()


if __name__ == "__main__":
    main()
