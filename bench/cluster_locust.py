"""The mixed load of ``make cluster-test`` (locust): 90% guest readers of thread pages,
10% members replying through the API, every third reply with an uploaded image.

Reads its plan from ``LUNTAN_LOAD_PLAN`` (JSON: ``threads``, ``tokens``) and writes what
happened to ``LUNTAN_LOAD_LOG`` (JSON lines: kind, thread, status, started, ended, and
for uploads the attachment id and sha256), so the checks can tell views made, replies
and uploads, and which failures were in flight when a server was killed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import threading
import time

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LUNTAN_LOAD_PLAN"]).read())  # noqa: SIM115
LOG = open(os.environ["LUNTAN_LOAD_LOG"], "a", buffering=1)  # noqa: SIM115
_lock = threading.Lock()
_ua = itertools.count()
_tokens = itertools.cycle(PLAN["tokens"])


def _note(**row) -> None:
    with _lock:
        LOG.write(json.dumps(row) + "\n")


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    color = tuple(random.getrandbits(8) for _ in range(3))
    Image.new("RGB", (random.randint(20, 60), random.randint(20, 60)), color).save(out, "PNG")
    return out.getvalue()


class Reader(HttpUser):
    """A guest reading thread pages (a new User-Agent each time: every view counts)."""

    weight = 9
    wait_time = between(0.05, 0.2)

    @task
    def read(self):
        thread = random.choice(PLAN["threads"])
        started = time.time()
        headers = {"User-Agent": f"luntan-load-{next(_ua)}"}
        with self.client.get(
            f"/t/{thread}/", headers=headers, name="/t/[id]/", catch_response=True
        ) as r:
            _note(
                kind="read", thread=thread, status=r.status_code, started=started, ended=time.time()
            )
            if r.status_code == 200:
                r.success()


class Replier(HttpUser):
    """A member replying through the API with a token; every third reply has an image."""

    weight = 1
    wait_time = between(1, 2)

    def on_start(self):
        self.token = next(_tokens)
        self.n = 0

    @task
    def reply(self):
        self.n += 1
        thread = random.choice(PLAN["threads"])
        auth = {"Authorization": f"Bearer {self.token}"}
        ids = []
        if self.n % 3 == 0:
            data = _png()
            started = time.time()
            with self.client.post(
                "/api/v1/attachments",
                headers=auth,
                files={"file": ("p.png", data, "image/png")},
                name="/api/v1/attachments",
                catch_response=True,
            ) as r:
                row = {
                    "kind": "upload",
                    "status": r.status_code,
                    "started": started,
                    "ended": time.time(),
                }
                if r.status_code == 201:
                    row.update(id=r.json()["id"], sha256=hashlib.sha256(data).hexdigest())
                    ids.append(row["id"])
                    r.success()
                _note(**row)
        started = time.time()
        body = {
            "body": f"压力测试回复 {self.token[-6:]} #{self.n}，看看楼层是否连续。",
            "attachment_ids": ids,
        }
        with self.client.post(
            f"/api/v1/threads/{thread}/posts",
            headers=auth,
            json=body,
            name="/api/v1/threads/[id]/posts",
            catch_response=True,
        ) as r:
            _note(
                kind="reply",
                thread=thread,
                status=r.status_code,
                started=started,
                ended=time.time(),
                attachments=ids,
            )
            if r.status_code in (200, 201, 202):
                r.success()


@events.quitting.add_listener
def _close(environment, **kw):
    LOG.flush()
