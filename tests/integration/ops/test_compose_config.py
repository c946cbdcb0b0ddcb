"""compose.yaml validates with Debian's docker-compose."""

from __future__ import annotations

import shutil
import subprocess

from tests.conftest import require
from tests.integration.ops.servers import ROOT


def test_compose_file_validates() -> None:
    """`docker-compose config` accepts the file."""
    binary = shutil.which("docker-compose")
    require(None if binary else "docker-compose is not installed", "docker-compose")
    assert binary is not None
    result = subprocess.run([binary, "-f", str(ROOT / "compose.yaml"), "config", "-q"],
                            capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
