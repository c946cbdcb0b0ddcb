"""Build the runner image, from a registry base image or offline with debootstrap.

The tag is a hash of every input (Dockerfile, harness files, package list), so
the image is rebuilt only when one of them changes.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import docker
import docker.errors

from sandbox.image.mirror import find_mirror

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DOCKERFILE = Path(__file__).resolve().parent / "Dockerfile"
HARNESS_FILES = ("runner.py", "probekit.py")
IMAGE_REPOSITORY = "assess-sandbox"
BASE_IMAGE = "python:3.11-slim-bookworm"
# Debian packages of the offline path; pytest 7.2.1 matches the Dockerfile's pin.
DEBIAN_PACKAGES = ("python3", "python3-pytest")
# What task code may import besides the standard library.
ALLOWED_LIBRARIES = ("pytest",)
FORMAT_VERSION = "1"
PRUNE = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "var/cache/apt",
         "var/lib/apt/lists", "var/log")  # fmt: skip

Log = Callable[[str], object]


class ImageBuildError(Exception):
    """The runner image could not be built."""


def inputs_hash() -> str:
    """A hash of everything that goes into the image."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    digest.update(DOCKERFILE.read_bytes())
    for name in HARNESS_FILES:
        digest.update(name.encode() + b"\0" + (PACKAGE_DIR / "harness" / name).read_bytes())
    digest.update(repr((DEBIAN_PACKAGES, ALLOWED_LIBRARIES, PRUNE)).encode())
    return digest.hexdigest()[:16]


def image_tag() -> str:
    """The content-addressed tag of the current image inputs."""
    return f"{IMAGE_REPOSITORY}:{inputs_hash()}"


def image_exists(client: docker.DockerClient, tag: str) -> bool:
    """Whether ``tag`` is present in the local engine."""
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def registry_reachable(client: docker.DockerClient, timeout: float = 2.0) -> bool:
    """Whether the engine's configured registry answers a TCP connection."""
    try:
        address = str(client.info().get("IndexServerAddress") or "")
    except docker.errors.APIError:
        return False
    host = urlparse(address).hostname
    if not host:
        return False
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def build_image(
    offline: bool | None = None,
    force: bool = False,
    log: Log = print,
    client: docker.DockerClient | None = None,
) -> str:
    """Build the runner image unless its content-addressed tag exists; return the tag.

    ``offline=None`` picks the Dockerfile path when the base image is present or
    a registry answers, else the debootstrap path.
    """
    client = client or docker.from_env()
    tag = image_tag()
    if not force and image_exists(client, tag):
        log(f"sandbox image {tag} is up to date")
        return tag
    if offline is None:
        offline = not (image_exists(client, BASE_IMAGE) or registry_reachable(client))
    if offline:
        _build_offline(client, tag, log, force)
    else:
        _build_online(client, tag, log)
    client.images.get(tag).tag(IMAGE_REPOSITORY, "latest")
    log(f"sandbox image {tag} built")
    removed = prune_old_images(client, tag)
    if removed:
        log(f"removed {removed} outdated sandbox image(s)")
    return tag


def prune_old_images(client: docker.DockerClient, keep: str) -> int:
    """Remove other ``assess-sandbox:<hash>`` tags (not the base); skip images in use."""
    removed = 0
    for image in client.images.list(name=IMAGE_REPOSITORY):
        for old in image.tags:
            if old in (keep, f"{IMAGE_REPOSITORY}:latest"):
                continue
            if old.startswith(f"{IMAGE_REPOSITORY}:"):
                try:
                    client.images.remove(old)
                except docker.errors.APIError:
                    continue  # still used by a container: kept
                removed += 1
    return removed


def _build_online(client: docker.DockerClient, tag: str, log: Log, base: str = BASE_IMAGE) -> None:
    """Build from the Dockerfile on ``base`` (the registry image or the offline base)."""
    log(f"building {tag} from {DOCKERFILE.name} on {base}")
    try:
        client.images.build(
            path=str(PACKAGE_DIR),
            dockerfile=str(DOCKERFILE.relative_to(PACKAGE_DIR)),
            tag=tag,
            rm=True,
            forcerm=True,
            buildargs={"BASE": base},
            labels={"assess.sandbox.inputs": inputs_hash()},
        )
    except (docker.errors.BuildError, docker.errors.APIError) as exc:
        raise ImageBuildError(f"docker build failed: {exc}") from exc


def _run(argv: list[str]) -> None:
    """Run a build step, raising :class:`ImageBuildError` with its output on failure."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-2000:]
        raise ImageBuildError(f"{argv[0]} failed ({proc.returncode}): {tail}")


def base_tag(suite: str) -> str:
    """The tag of the offline base image for ``suite`` and the package list."""
    digest = hashlib.sha256(repr((FORMAT_VERSION, suite, DEBIAN_PACKAGES, PRUNE)).encode())
    return f"{IMAGE_REPOSITORY}-base:{digest.hexdigest()[:16]}"


def _build_offline(client: docker.DockerClient, tag: str, log: Log, force: bool) -> None:
    """Make (or reuse) the debootstrapped base image, then build the Dockerfile on it."""
    mirror, suite = find_mirror()
    base = base_tag(suite)
    if force or not image_exists(client, base):
        _bootstrap_base(client, base, mirror, suite, log)
    _build_online(client, tag, log, base=base)


def _bootstrap_base(
    client: docker.DockerClient, base: str, mirror: str, suite: str, log: Log
) -> None:
    """Bootstrap a minimal Debian root from ``mirror`` and import it as ``base``."""
    if shutil.which("debootstrap") is None:
        raise ImageBuildError("offline build needs debootstrap (apt-get install debootstrap)")
    with tempfile.TemporaryDirectory(prefix="assess-image-") as tmp:
        root = Path(tmp) / "root"
        log(f"debootstrap {suite} from {mirror} (about a minute)")
        _run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(DEBIAN_PACKAGES)}",
             suite, str(root), mirror]
        )  # fmt: skip
        for rel in PRUNE:
            target = root / rel
            if target.is_dir():
                shutil.rmtree(target)
                target.mkdir()
        archive = Path(tmp) / "root.tar"
        _run(["tar", "--numeric-owner", "-C", str(root), "-cf", str(archive), "."])
        log(f"importing {archive.stat().st_size // 2**20} MB as {base}")
        repository, _, version = base.partition(":")
        try:
            client.api.import_image_from_file(
                str(archive), repository=repository, tag=version, changes=['CMD ["python3"]']
            )
        except docker.errors.APIError as exc:
            raise ImageBuildError(f"docker import failed: {exc}") from exc
