"""Benchmark of the key-point grader (a script, not a test).

    .venv/bin/python bench/bench_grading.py [--seconds 3] [--cold-runs 3]

1. Cold start: a fresh interpreter imports exam.grading.keypoints and grades
   one answer (jieba dictionary + OpenCC load included), timed per phase.
2. Throughput: in this process, after a warm-up, grade the labelled case
   answers (tests/data/case_answers/*.yaml against content/questions/*-cases.yaml)
   over and over for a few seconds; a synthetic set when those files are absent.

Prints a small table and one JSON line (prefixed "BENCH ") for CI logs.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = r"""
import json, time
t0 = time.perf_counter()
import exam                          # the app package: pulls in Flask/SQLAlchemy
ta = time.perf_counter()
from exam.grading.keypoints import grade_part
from exam.grading import segment
from exam import textnorm
t1 = time.perf_counter()
textnorm.normalize("傾聽")           # OpenCC
t2 = time.perf_counter()
segment.tokenizer()                  # jieba dictionary
t3 = time.perf_counter()
kps = [{"id": "a1", "text": "倾听", "points": 2, "match": [["倾听", "听完"], ["打断", "插话"]]}]
grade_part("大堂经理没有耐心倾听，多次打断客户。", kps, context="客户来到银行网点投诉。")
t4 = time.perf_counter()
print(json.dumps({"import_app": ta - t0, "import": t1 - ta, "opencc": t2 - t1, "jieba": t3 - t2,
                  "first_grade": t4 - t3, "total": t4 - t0}))
"""


def cold_start(runs: int) -> dict:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True,
                             text=True, check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        d = json.loads(out.stdout.strip().splitlines()[-1])
        d["process"] = time.perf_counter() - t  # includes interpreter start-up
        samples.append(d)
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def labelled_set() -> tuple[list[tuple[str, list, str]], str]:
    import yaml

    cases = {}
    for path in sorted(ROOT.glob("content/questions/*-cases.yaml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions") or []:
            if item.get("type") == "case":
                cases[item["id"]] = item
    work = []
    for path in sorted(ROOT.glob("tests/data/case_answers/*.yaml")):
        for lab in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            case = cases.get(lab.get("question"))
            part = next((p for p in (case or {}).get("parts") or []
                         if str(p.get("id")) == str(lab.get("part"))), None)
            if part:
                ctx = (case.get("material") or "") + "\n" + (part.get("prompt") or "")
                work.append((lab.get("answer") or "", part.get("key_points") or [], ctx))
    return work, "labelled"


def synthetic_set(n: int = 200) -> tuple[list[tuple[str, list, str]], str]:
    rng = random.Random(7)
    terms = ["倾听", "道歉", "推卸", "记录", "跟进", "安抚", "争辩", "方案", "期限", "感谢"]
    filler = "客户来到网点后情绪激动经理应当先了解情况再处理问题同时注意自己的态度"
    kps = [{"id": f"k{i}", "text": t, "points": 2, "match": [[t]],
            "polarity": "negative" if t == "争辩" else "positive"} for i, t in enumerate(terms)]
    material = filler * 8
    work = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(3, 10)):
            a = rng.randrange(len(filler) - 12)
            neg = rng.choice(["", "", "没有", "不要"])
            parts.append(filler[a:a + rng.randint(4, 12)] + neg + rng.choice(terms))
        work.append(("，".join(parts) + "。", kps, material))
    return work, "synthetic"


def throughput(work, seconds: float) -> dict:
    from exam.grading.keypoints import grade_part

    for answer, kps, ctx in work[:20]:  # warm-up: jieba, OpenCC, caches
        grade_part(answer, kps, context=ctx)
    n, t0 = 0, time.perf_counter()
    per = []
    while time.perf_counter() - t0 < seconds:
        for answer, kps, ctx in work:
            t = time.perf_counter()
            grade_part(answer, kps, context=ctx)
            per.append(time.perf_counter() - t)
            n += 1
    elapsed = time.perf_counter() - t0
    per.sort()
    return {"answers": n, "seconds": elapsed, "per_second": n / elapsed,
            "p50_ms": per[len(per) // 2] * 1e3, "p95_ms": per[int(len(per) * 0.95)] * 1e3,
            "max_ms": per[-1] * 1e3,
            "mean_chars": statistics.mean(len(a) for a, _, _ in work)}


def long_answer() -> float:
    from exam.grading.keypoints import grade_part

    kps = [{"id": "a", "text": "道歉", "points": 2, "match": [["道歉"], ["真诚", "主动"]]}]
    text = ("客户来了以后经理应该怎么办呢我觉得应该真诚道歉，" * 900)[:20000]
    t = time.perf_counter()
    grade_part(text, kps, context="客户来到网点投诉。")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--cold-runs", type=int, default=3)
    args = ap.parse_args()

    cold = cold_start(args.cold_runs)
    work, source = labelled_set()
    if not work:
        work, source = synthetic_set()
    tp = throughput(work, args.seconds)
    long_s = long_answer()

    print(f"cold start (median of {args.cold_runs} fresh processes)")
    for k in ("import_app", "import", "opencc", "jieba", "first_grade", "total", "process"):
        print(f"  {k:<12} {cold[k] * 1e3:8.1f} ms")
    print(f"throughput ({source} set: {len(work)} answers, mean {tp['mean_chars']:.0f} chars)")
    print(f"  {'answers/s':<12} {tp['per_second']:8.1f}")
    print(f"  {'p50':<12} {tp['p50_ms']:8.2f} ms")
    print(f"  {'p95':<12} {tp['p95_ms']:8.2f} ms")
    print(f"  {'max':<12} {tp['max_ms']:8.2f} ms")
    print(f"  {'20k chars':<12} {long_s * 1e3:8.1f} ms")
    print("BENCH " + json.dumps({
        "cold_start_s": round(cold["total"], 3), "cold_process_s": round(cold["process"], 3),
        "cold_jieba_s": round(cold["jieba"], 3), "set": source, "set_size": len(work),
        "answers_per_s": round(tp["per_second"], 1), "p50_ms": round(tp["p50_ms"], 2),
        "p95_ms": round(tp["p95_ms"], 2), "long_20k_ms": round(long_s * 1e3, 1)}))


if __name__ == "__main__":
    main()
