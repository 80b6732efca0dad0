""".ci/run installs what a fresh Debian machine lacks before running the suite."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("bash", "ls", "grep", "dirname", "id", "env")


def _needs(tmp_path, *present: str, python: str | None = None) -> list[str]:
    """What .ci/run would install on a machine with only these commands."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in TOOLS + present:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    if python:
        (bin_dir / "python3").symlink_to(python)
    result = subprocess.run([str(bin_dir / "bash"), str(ROOT / ".ci/run")], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env={"PATH": str(bin_dir), "CI_PRINT_NEEDS": "1"})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_bare_machine_gets_python_venv_procps_and_openssl(tmp_path):
    needs = _needs(tmp_path)
    assert {"python3", "python3-venv", "procps", "openssl", "chromium"} <= set(needs)


def test_python_without_venv_gets_python3_venv(tmp_path):
    fake = tmp_path / "python-without-venv"
    fake.write_text("#!/bin/sh\n[ \"$1\" = -c ] && exit 1\nexit 0\n")
    fake.chmod(0o755)
    needs = _needs(tmp_path, python=str(fake))
    assert "python3-venv" in needs and "python3" not in needs


def test_what_is_there_is_not_installed_again(tmp_path):
    present = [tool for tool in ("pgrep", "openssl") if shutil.which(tool)]
    needs = _needs(tmp_path, *present, python=os.path.realpath(sys.executable))
    assert "python3" not in needs and "python3-venv" not in needs
    assert ("procps" in needs) != ("pgrep" in present)
    assert ("openssl" in needs) != ("openssl" in present)
