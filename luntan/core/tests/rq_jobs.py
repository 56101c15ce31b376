"""A task for the RQ worker tests: it notes each start and end in a file."""

import time
from pathlib import Path

from django_tasks import task


@task()
def mark_and_sleep(path: str, seconds: float) -> None:
    """Append ``start`` to ``path``, sleep ``seconds``, append ``done``."""
    with Path(path).open("a") as f:
        f.write("start\n")
    time.sleep(seconds)
    with Path(path).open("a") as f:
        f.write("done\n")
