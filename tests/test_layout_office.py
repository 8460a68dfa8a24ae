"""LibreOffice, started for an old .doc, never outlives the check that started it."""

from __future__ import annotations

import signal
import subprocess

import pytest

from govreport_check.layouts import office


class _Stuck:
    pid = 4242

    def __init__(self, *args, **kwargs):
        self.waited = 0

    def wait(self, timeout=None):
        self.waited += 1
        if timeout is not None:
            raise SystemExit(1)  # what the worker's SIGTERM handler raises when its time budget runs out
        return -9


def test_libreoffice_is_killed_when_the_worker_is_stopped(monkeypatch, tmp_path):
    killed = []
    monkeypatch.setattr(subprocess, "Popen", _Stuck)
    monkeypatch.setattr(office.os, "killpg", lambda pid, sig: killed.append((pid, sig)))
    with pytest.raises(SystemExit):
        office._run(["soffice"], tmp_path / "r.doc")
    assert killed == [(4242, signal.SIGKILL)]


def test_conversion_gives_up_before_the_default_time_budget():
    from govreport_check.batch import DEFAULT_TIMEOUT_S

    assert office.CONVERT_TIMEOUT_S < DEFAULT_TIMEOUT_S
