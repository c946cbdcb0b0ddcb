"""Build the application image, with a registry or without one.

    python deploy/build_image.py                 # detect: registry base, else offline
    python deploy/build_image.py --offline       # debootstrap base + wheels from the host
    python deploy/build_image.py --registry      # FROM python:3.11-slim-bookworm

Offline, the base is a minimal Debian root bootstrapped from the mirror the host's apt
already uses (never a hard-coded host) with python3 and python3-venv, imported with
``docker import``; the Python dependencies are downloaded on the host with its own pip
settings into deploy/wheels/, so nothing inside the build needs the network. The context
is assembled in a temporary folder with only what the image needs.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.image.mirror import find_mirror  # noqa: E402 - after the path is set

REGISTRY_BASE = "python:3.11-slim-bookworm"
BASE_REPOSITORY = "assess-app-base"
DEBIAN_PACKAGES = ("python3", "python3-venv", "ca-certificates")
PRUNE = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
         "var/cache/apt", "var/lib/apt/lists", "var/log")  # fmt: skip
CONTEXT = ("requirements.txt", "wsgi.py", "gunicorn.conf.py", "assess", "sandbox",
           "migrations", "challenges", "deploy/Dockerfile", "deploy/entrypoint.sh",
           "deploy/healthcheck.py")  # fmt: skip
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", ".pytest_cache", "node_modules")


class ImageBuildError(Exception):
    """A build step failed."""


def run(argv: list[str], quiet: bool = False) -> str:
    """Run a step; raise ImageBuildError with the tail of its output on failure."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise ImageBuildError(f"{argv[0]} {argv[1]} failed: {(proc.stdout + proc.stderr)[-3000:]}")
    if not quiet and proc.stdout.strip():
        print(proc.stdout.strip().splitlines()[-1])
    return proc.stdout


def image_exists(tag: str) -> bool:
    """Whether the local engine has ``tag``."""
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True,
                          check=False).returncode == 0  # fmt: skip


def base_tag(suite: str) -> str:
    """The offline base's tag: a hash of the suite and the package list."""
    digest = hashlib.sha256(repr((suite, DEBIAN_PACKAGES, PRUNE)).encode()).hexdigest()[:16]
    return f"{BASE_REPOSITORY}:{digest}"


def bootstrap_base(force: bool) -> str:
    """Make (or reuse) the debootstrapped base image; returns its tag."""
    mirror, suite = find_mirror()
    tag = base_tag(suite)
    if image_exists(tag) and not force:
        print(f"base {tag} is present")
        return tag
    if shutil.which("debootstrap") is None:
        raise ImageBuildError("the offline build needs debootstrap (apt-get install debootstrap)")
    with tempfile.TemporaryDirectory(prefix="assess-app-base-") as tmp:
        root = Path(tmp) / "root"
        print(f"debootstrap {suite} from {mirror} (a minute or two)")
        run(["debootstrap", "--variant=minbase", f"--include={','.join(DEBIAN_PACKAGES)}",
             suite, str(root), mirror], quiet=True)  # fmt: skip
        for rel in PRUNE:
            target = root / rel
            if target.is_dir():
                shutil.rmtree(target)
                target.mkdir()
        archive = Path(tmp) / "root.tar"
        run(["tar", "--numeric-owner", "-C", str(root), "-cf", str(archive), "."], quiet=True)
        print(f"importing {archive.stat().st_size // 2**20} MB as {tag}")
        run(["docker", "import", "--change", 'CMD ["python3"]', str(archive), tag], quiet=True)
    return tag


def base_python(base: str) -> tuple[str, str]:
    """The base image's Python version (``3.11.2``) and glibc version (``2.36``)."""
    code = "import platform; print(platform.python_version(), platform.libc_ver()[1])"
    out = run(["docker", "run", "--rm", "--network=none", base, "python3", "-c", code],
              quiet=True).split()  # fmt: skip
    return out[0], out[1]


def platform_tags(glibc: str) -> list[str]:
    """The manylinux tags a glibc of that version runs (x86_64)."""
    major, minor = (int(part) for part in glibc.split(".")[:2])
    tags = [f"manylinux_{major}_{m}_x86_64" for m in range(17, minor + 1)]
    return [*tags, "manylinux2014_x86_64", "linux_x86_64"]


def download_wheels(target: Path, python: str, glibc: str) -> int:
    """Download the wheels of requirements.txt for the base's Python with the host's pip
    (its index and certificates); returns how many."""
    target.mkdir(parents=True, exist_ok=True)
    platforms = [arg for tag in platform_tags(glibc) for arg in ("--platform", tag)]
    run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
         "--python-version", python, "--implementation", "cp", *platforms,
         "--dest", str(target), "-r", str(ROOT / "requirements.txt")], quiet=True)  # fmt: skip
    # pip judges environment markers by the host's interpreter, not --python-version: fetch
    # every marked pin too, so the base's own Python finds what its markers ask for.
    marked = [line.split(";")[0].strip() for line in
              (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if ";" in line and not line.lstrip().startswith("#")]  # fmt: skip
    if marked:
        run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
             "--no-deps", "--dest", str(target), *marked], quiet=True)  # fmt: skip
    return len(list(target.glob("*.whl")))


def assemble_context(folder: Path, wheels_for: str | None) -> None:
    """Copy what the image needs into ``folder``, with the wheels for base ``wheels_for``."""
    for rel in CONTEXT:
        source, dest = ROOT / rel, folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, ignore=IGNORE)
        else:
            shutil.copy2(source, dest)
    wheel_dir = folder / "deploy" / "wheels"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    if wheels_for:
        python, glibc = base_python(wheels_for)
        count = download_wheels(wheel_dir, python, glibc)
        print(f"{count} wheels downloaded for Python {python} (glibc {glibc})")


def registry_reachable() -> bool:
    """Whether the engine can pull the registry base (present, or its registry answers)."""
    if image_exists(REGISTRY_BASE):
        return True
    import docker

    from sandbox.image.build import registry_reachable as engine_registry

    with contextlib.closing(docker.from_env()) as client:
        return engine_registry(client)


def build(offline: bool | None, tag: str, force_base: bool) -> str:
    """Build the image; returns its tag."""
    if offline is None:
        offline = not registry_reachable()
    base = bootstrap_base(force_base) if offline else REGISTRY_BASE
    with tempfile.TemporaryDirectory(prefix="assess-app-context-") as tmp:
        context = Path(tmp)
        assemble_context(context, wheels_for=base if offline else None)
        print(f"building {tag} on {base}")
        run(["docker", "build", "--pull=false", "-f", str(context / "deploy" / "Dockerfile"),
             "--build-arg", f"BASE={base}", "-t", tag, str(context)])  # fmt: skip
    print(f"built {tag}")
    return tag


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--offline", dest="offline", action="store_true", default=None)
    mode.add_argument("--registry", dest="offline", action="store_false")
    parser.add_argument("--tag", default="assess:latest")
    parser.add_argument("--force-base", action="store_true", help="Re-bootstrap the base.")
    args = parser.parse_args(argv)
    try:
        build(args.offline, args.tag, args.force_base)
    except ImageBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
