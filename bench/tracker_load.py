"""Load benchmark of the tracker (issue 6): uploads/s and latency, then dashboard latency with 10,000 reports.

    .venv/bin/python bench/tracker_load.py [--db sqlite|postgres|both] [--uploads 2000] [--clients 8]
                                          [--stored 10000] [--page-requests 200]

The tracker runs as its own process (`guideline-lint tracker serve`) on 127.0.0.1, over an SQLite file
or a throw-away PostgreSQL cluster (initdb/pg_ctl in a temporary folder). Each upload is a distinct
realistic report (one finding per check of the default ruleset, about 115 KB). Goals: ≥ 100 uploads/s
on SQLite; dashboard p95 ≤ 300 ms with 10,000 reports stored.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "tracker"))

from pgcluster import Cluster, find_bin_dir, free_port  # noqa: E402
from tracker_fixtures import as_json, make_report  # noqa: E402

SERVICES = 100


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its live children, from /proc: a figure that other work
    on the machine does not inflate, unlike wall-clock throughput."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: parent pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def tracker(db: str, workers: int = 1) -> Iterator[tuple[str, int]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "guideline_lint", "tracker", "serve", "--db", db,
                                "--port", str(port), "--workers", str(workers)], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the tracker did not start")
        yield url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def register(db: str) -> dict[str, str]:
    from guideline_lint.tracker.storage import Store

    store = Store(db)
    store.migrate()
    tokens = {f"bench-{i:03d}": store.add_service(f"bench-{i:03d}", f"ベンチマーク用サービス{i}", f"局{i % 12}")
              for i in range(SERVICES)}
    store.dispose()
    return tokens


def bodies(count: int, start: datetime, offset: int = 0) -> list[tuple[str, bytes]]:
    """``count`` distinct reports spread over the services and over the last 80 days (inside retention)."""
    base = {sid: as_json(make_report(sid, seed=i)) for i, sid in enumerate(f"bench-{i:03d}" for i in range(SERVICES))}
    out = []
    for n in range(offset, offset + count):
        sid = f"bench-{n % SERVICES:03d}"
        report = json.loads(base[sid])
        stamp = start + timedelta(minutes=10 * n)
        report["generated_at"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append((sid, json.dumps(report, ensure_ascii=False).encode()))
    return out


def upload_all(url: str, tokens: dict[str, str], jobs: list[tuple[str, bytes]], clients: int) -> dict[str, float]:
    local = threading.local()
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(job: tuple[str, bytes]) -> None:
        nonlocal errors
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=url, timeout=60)
        sid, body = job
        began = time.perf_counter()
        answer = local.client.post("/api/v1/reports", content=body, headers={
            "Authorization": f"Bearer {tokens[sid]}", "Content-Type": "application/json"})
        elapsed = time.perf_counter() - began
        with lock:
            latencies.append(elapsed)
            errors += answer.status_code != 201

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, jobs))
    wall = time.perf_counter() - began
    return {"uploads": len(jobs), "errors": errors, "seconds": round(wall, 2),
            "uploads_per_s": round(len(jobs) / wall, 1), "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "bytes_per_report": round(statistics.fmean(len(b) for _, b in jobs))}


def fill_direct(db: str, jobs: list[tuple[str, bytes]]) -> None:
    """Top the database up through the same scoring and storage code as the API, minus HTTP."""
    from guideline_lint.model import Report
    from guideline_lint.tracker.recompute import recompute_report
    from guideline_lint.tracker.server import _new_report, canonical
    from guideline_lint.tracker.storage import Store, utcnow
    from guideline_lint.tracker.validation import generated_at

    store = Store(db)
    services = {s.id: s for s in store.list_services()}

    for sid, body in jobs:
        report = Report.model_validate_json(body)
        payload, digest = canonical(report)
        store.store_report(_new_report(services[sid], digest, payload, recompute_report(report),
                                       generated_at(report.generated_at, utcnow())))
    store.dispose()


def page_latency(url: str, paths: list[str], requests: int) -> dict[str, dict[str, float]]:
    results = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        for path in paths:
            client.get(path)  # warm
            times = []
            for _ in range(requests):
                began = time.perf_counter()
                answer = client.get(path)
                times.append(time.perf_counter() - began)
                assert answer.status_code == 200, (path, answer.status_code)
            results[path] = {"p50_ms": round(statistics.median(times) * 1000, 1),
                             "p95_ms": round(percentile(times, 0.95) * 1000, 1), "bytes": len(answer.content)}
    return results


def run(kind: str, args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    cluster = None
    if kind == "postgres":
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
        # Durable settings (fsync on) but asynchronous commit, like SQLite's WAL with synchronous=NORMAL.
        cluster = Cluster(bin_dir, durable=True).start()
        db = cluster.create_database("bench")
        asynchronous_commit(cluster)
    else:
        db = f"sqlite:///{workdir / 'tracker.sqlite3'}"
    try:
        tokens = register(db)
        start = datetime.now(UTC) - timedelta(days=80)
        print(f"[{kind}] preparing {args.stored} reports…", file=sys.stderr)
        jobs = bodies(args.stored, start)
        with tracker(db, args.workers) as (url, pid):
            server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
            uploads = upload_all(url, tokens, jobs[:args.uploads], args.clients)
            uploads["server_cpu_ms_per_upload"] = round((cpu_seconds(pid) - server_cpu) / args.uploads * 1000, 2)
            uploads["client_cpu_ms_per_upload"] = round((time.process_time() - client_cpu) / args.uploads * 1000, 2)
            print(f"[{kind}] uploads: {uploads}", file=sys.stderr)
        fill_direct(db, jobs[args.uploads:])
        with tracker(db) as (url, _pid):
            stored = httpx.get(url + "/api/v1/services/bench-000/reports?limit=1").json()["total"]
            pages = page_latency(url, ["/", "/?bureau=局3&phase=operation", "/services/bench-007",
                                       "/opendata/scores.csv", "/api/v1/services"], args.page_requests)
            print(f"[{kind}] pages: {pages}", file=sys.stderr)
        return {"db": kind, "workers": args.workers, "uploads": uploads, "reports_stored": args.stored,
                "reports_of_one_service": stored, "pages": pages}
    finally:
        if cluster is not None:
            cluster.stop()


def asynchronous_commit(cluster: Cluster) -> None:
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET synchronous_commit = off")
        conn.execute("SELECT pg_reload_conf()")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--uploads", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--stored", type=int, default=10000)
    parser.add_argument("--page-requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="tracker server processes during the uploads")
    args = parser.parse_args()
    args.stored = max(args.stored, args.uploads)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                           "load_before": os.getloadavg()[0]}, "runs": []}
    began = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="gl-tracker-bench-") as folder:
        for kind in kinds:
            results["runs"].append(run(kind, args, Path(folder)))
    results["machine"]["load_after"] = os.getloadavg()[0]
    results["machine"]["load_1min_at_start"] = began[0]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tracker_load.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
