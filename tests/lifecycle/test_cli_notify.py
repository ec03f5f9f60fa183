"""``spreedly emulator --notify-url``: the standalone emulator notifies a loopback receiver."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from spreedly_sdk import Client
from tests.conftest import default_sigint

from .conftest import Receiver


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to a child differs on Windows")
def test_emulator_command_notifies(receiver: Receiver) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-m", "spreedly_sdk.cli", "emulator", "--port", "0", "--site", "nt-test",
                             "--token", "t0ken", "--notify-url", receiver.url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=default_sigint)
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().rsplit(" ", 1)[1].strip()
        banner = "".join(proc.stdout.readline() for _ in range(4))
        assert f"Notifying: {receiver.url}" in banner
        with Client("t0ken", "nt-test", base_url=base_url) as client:
            client.subscribers.create("cli-1")
        assert receiver.ids == [["cli-1"]]
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
