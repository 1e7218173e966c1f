"""Load on the JSON API as trainees sitting mock exams (run by bench/bench_load.py).

Each simulated trainee logs in, starts a mock exam and then autosaves answers,
reads the attempt state and now and then submits and starts again: the
traffic an exam morning brings. `BareUser` hits /healthz for the baseline.
"""
import itertools
import os
import random

from locust import HttpUser, between, task

USERS = int(os.environ.get("BENCH_USERS", "20"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-pass-1")
_ids = itertools.count(1)


class ExamUser(HttpUser):
    wait_time = between(0.05, 0.2)

    def on_start(self):
        n = (next(_ids) - 1) % USERS + 1
        r = self.client.post("/api/v1/auth/login", json={"username": f"bench{n}", "password": PASSWORD})
        self.client.headers["Authorization"] = "Bearer " + r.json()["token"]
        self.client.get("/api/v1/exams")
        self.begin()

    def begin(self):
        body = self.client.post("/api/v1/attempts", json={"exam": "blueprint:l2-theory-mock"},
                                name="/api/v1/attempts [start]").json()
        self.attempt, self.items, self.seq = body["attempt_id"], body["items"], 0

    @task(20)
    def save_answer(self):
        item = random.choice(self.items)
        self.seq += 1
        answer = random.choice(item["options"])["key"] if item["options"] else "答案"
        self.client.put(f"/api/v1/attempts/{self.attempt}/answers/{item['item_id']}",
                        json={"answer": answer, "seq": self.seq}, name="/api/v1/attempts/[id]/answers/[item]")

    @task(3)
    def state(self):
        self.client.get(f"/api/v1/attempts/{self.attempt}", name="/api/v1/attempts/[id]")

    @task(1)
    def submit_and_restart(self):
        self.client.post(f"/api/v1/attempts/{self.attempt}/submit", name="/api/v1/attempts/[id]/submit")
        self.begin()


class BareUser(HttpUser):
    wait_time = between(0.05, 0.2)

    @task
    def health(self):
        self.client.get("/healthz")
