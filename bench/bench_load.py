"""Load benchmark of the exam API against a bare endpoint on the same server.

    .venv/bin/python bench/bench_load.py [--users 20] [--seconds 20]

Builds a throw-away SQLite database (migrations, content, bench accounts),
serves it with gunicorn (2 workers, loopback only), runs locust headless
twice with the same number of users — /healthz alone, then the exam API —
and prints requests per second and latencies per endpoint, with ratios to
the bare endpoint measured in the same run. Stops by itself.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = 5099


def run(cmd, env):
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def prepare(tmp: Path, users: int) -> dict:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}", EXAM_ENV="development")
    flask = [str(BIN / "flask"), "--app", "run"]
    run(flask + ["db", "upgrade"], env)
    run(flask + ["content", "load"], env)
    script = ("from run import app\nfrom exam.services.accounts import create_user\n"
              f"with app.app_context():\n    [create_user(f'bench{{i}}', 'trainee', 'bench-pass-1') for i in range(1, {users + 1})]\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    return env


def serve(env) -> subprocess.Popen:
    proc = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{PORT}", "--workers", "2", "run:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def locust(user_class: str, users: int, seconds: int, tmp: Path, env) -> list[dict]:
    prefix = tmp / user_class
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), user_class, "--headless",
                    "-u", str(users), "-r", str(max(1, users // 2)), "--run-time", f"{seconds}s",
                    "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"],
                   cwd=ROOT, env=dict(env, BENCH_USERS=str(users)), check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        env = prepare(tmp, args.users)
        server = serve(env)
        try:
            bare = locust("BareUser", args.users, args.seconds, tmp, env)
            exam = locust("ExamUser", args.users, args.seconds, tmp, env)
        finally:
            server.terminate()
            server.wait(timeout=10)
    base = next(r for r in bare if r["Name"] == "Aggregated")
    base_rps, base_p50 = float(base["Requests/s"]), float(base["50%"])
    print(f"{args.users} users, {args.seconds} s each, gunicorn 2 workers, SQLite WAL, loopback")
    print(f"{'endpoint':45} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'fail':>5} {'p50 / bare':>10}")
    rows = [base] + exam
    report = []
    for row in rows:
        name = "/healthz (bare)" if row is base else row["Name"]
        p50, p95 = float(row["50%"]), float(row["95%"])
        ratio = p50 / base_p50 if base_p50 else 0
        print(f"{name:45} {float(row['Requests/s']):8.1f} {p50:7.0f} {p95:7.0f} {row['Failure Count']:>5} {ratio:10.1f}")
        report.append({"name": name, "rps": float(row["Requests/s"]), "p50": p50, "p95": p95,
                       "failures": int(row["Failure Count"]), "p50_ratio": round(ratio, 2)})
    agg = next(r for r in exam if r["Name"] == "Aggregated")
    print(f"exam API throughput / bare throughput: {float(agg['Requests/s']) / base_rps:.2f}")
    print("BENCH " + json.dumps({"load": report}, ensure_ascii=False))


if __name__ == "__main__":
    main()
