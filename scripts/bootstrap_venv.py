"""Create the project's virtual environment with pip, even where Debian's python3 lacks ensurepip.

Debian ships `venv` without ensurepip unless python3-venv is installed. Then we create the venv
without pip and install pip from its wheel on PyPI (the only network this project may assume).
"""
import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path


def main(target: str) -> None:
    path = Path(target)
    if (path / "bin" / "pip").exists():
        return
    try:
        venv.EnvBuilder(with_pip=True).create(path)
        return
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"ensurepip unavailable ({exc}); installing pip from PyPI", file=sys.stderr)
    venv.EnvBuilder(with_pip=False, clear=True).create(path)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    wheel = next(u for u in release["urls"] if u["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / wheel["filename"]
        urllib.request.urlretrieve(wheel["url"], file)
        # a pip wheel can run itself: python pip.whl/pip install pip.whl
        subprocess.run([str(path / "bin" / "python"), f"{file}/pip", "install", "--quiet", str(file)], check=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".venv")
