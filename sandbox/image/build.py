"""Build a runner image, from a registry base image or offline with debootstrap.

Each image profile (``profiles.py``) has its own repository; the tag is a hash of
every input of that profile (Dockerfile, harness and other files, package list), so
an image is rebuilt only when one of them changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import socket
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import docker
import docker.errors

from sandbox.image.mirror import find_mirror
from sandbox.image.profiles import DEFAULT, Profile, profile_named, profile_of

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DOCKERFILE = DEFAULT.dockerfile
HARNESS_FILES = ("runner.py", "probekit.py")
IMAGE_REPOSITORY = DEFAULT.repository
BASE_IMAGE = DEFAULT.base_image
DEBIAN_PACKAGES = DEFAULT.debian_packages
ALLOWED_LIBRARIES = DEFAULT.allowed_libraries
FORMAT_VERSION = "1"

Log = Callable[[str], object]


class ImageBuildError(Exception):
    """The runner image could not be built."""


def inputs_hash(profile: Profile = DEFAULT) -> str:
    """A hash of everything that goes into the profile's image."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    digest.update(profile.dockerfile.read_bytes())
    for name in HARNESS_FILES:
        digest.update(name.encode() + b"\0" + (PACKAGE_DIR / "harness" / name).read_bytes())
    for name in profile.files:
        digest.update(name.encode() + b"\0" + (PACKAGE_DIR / name).read_bytes())
    digest.update(
        repr((profile.debian_packages, profile.allowed_libraries, profile.prune)).encode()
    )
    return digest.hexdigest()[:16]


def image_tag(profile: str = DEFAULT.name) -> str:
    """The content-addressed tag of the current inputs of the image ``profile``."""
    chosen = profile_named(profile)
    return f"{chosen.repository}:{inputs_hash(chosen)}"


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
    profile: str = DEFAULT.name,
) -> str:
    """Build the ``profile`` image unless its content-addressed tag exists; return the tag.

    ``offline=None`` picks the Dockerfile path when the base image is present or
    a registry answers, else the debootstrap path.
    """
    try:
        chosen = profile_named(profile)
    except ValueError as exc:
        raise ImageBuildError(str(exc)) from exc
    if client is None:
        with contextlib.closing(docker.from_env()) as own:
            return build_image(offline, force, log, own, profile)
    tag = image_tag(chosen.name)
    if not force and image_exists(client, tag):
        log(f"sandbox image {tag} is up to date")
        return tag
    if offline is None:
        offline = not (image_exists(client, chosen.base_image) or registry_reachable(client))
    if offline:
        _build_offline(client, tag, log, force)
    else:
        _build_online(client, tag, log)
    client.images.get(tag).tag(chosen.repository, "latest")
    log(f"sandbox image {tag} built")
    removed = prune_old_images(client, tag)
    if removed:
        log(f"removed {removed} outdated sandbox image(s)")
    return tag


def prune_old_images(client: docker.DockerClient, keep: str) -> int:
    """Remove the other tags of ``keep``'s repository (not its base); skip images in use."""
    repository = keep.rpartition(":")[0]
    removed = 0
    for image in client.images.list(name=repository):
        for old in image.tags:
            if old in (keep, f"{repository}:latest"):
                continue
            if old.startswith(f"{repository}:"):
                try:
                    client.images.remove(old)
                except docker.errors.APIError:
                    continue  # still used by a container: kept
                removed += 1
    return removed


def build_context(profile: Profile) -> io.BytesIO:
    """A tar of exactly the profile's hashed inputs: the build context of its Dockerfile."""
    names = [
        profile.dockerfile.relative_to(PACKAGE_DIR).as_posix(),
        *(f"harness/{name}" for name in HARNESS_FILES),
        *profile.files,
    ]

    def anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name in names:
            tar.add(PACKAGE_DIR / name, arcname=name, filter=anonymous)
    buffer.seek(0)
    return buffer


def _build_online(client: docker.DockerClient, tag: str, log: Log, base: str | None = None) -> None:
    """Build from the Dockerfile on ``base`` (the registry image or the offline base)."""
    profile = profile_of(tag)
    base = base or profile.base_image
    log(f"building {tag} from {profile.dockerfile.name} on {base}")
    try:
        client.images.build(
            fileobj=build_context(profile),
            custom_context=True,
            dockerfile=str(profile.dockerfile.relative_to(PACKAGE_DIR)),
            tag=tag,
            rm=True,
            forcerm=True,
            buildargs={"BASE": base},
            labels={"assess.sandbox.inputs": inputs_hash(profile)},
        )
    except (docker.errors.BuildError, docker.errors.APIError) as exc:
        raise ImageBuildError(f"docker build failed: {exc}") from exc


def _run(argv: list[str]) -> None:
    """Run a build step, raising :class:`ImageBuildError` with its output on failure."""
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-2000:]
        raise ImageBuildError(f"{argv[0]} failed ({proc.returncode}): {tail}")


def base_tag(suite: str, profile: Profile = DEFAULT) -> str:
    """The tag of the profile's offline base image for ``suite`` and its package list."""
    packages, prune = profile.debian_packages, profile.prune
    digest = hashlib.sha256(repr((FORMAT_VERSION, suite, packages, prune)).encode())
    return f"{profile.repository}-base:{digest.hexdigest()[:16]}"


def _build_offline(client: docker.DockerClient, tag: str, log: Log, force: bool) -> None:
    """Make (or reuse) the debootstrapped base image, then build the Dockerfile on it."""
    profile = profile_of(tag)
    mirror, suite = find_mirror()
    base = base_tag(suite, profile)
    if force or not image_exists(client, base):
        _bootstrap_base(client, base, mirror, suite, log, profile)
    _build_online(client, tag, log, base=base)


def _bootstrap_base(
    client: docker.DockerClient,
    base: str,
    mirror: str,
    suite: str,
    log: Log,
    profile: Profile = DEFAULT,
) -> None:
    """Bootstrap a minimal Debian root from ``mirror`` and import it as ``base``."""
    if shutil.which("debootstrap") is None:
        raise ImageBuildError("offline build needs debootstrap (apt-get install debootstrap)")
    with tempfile.TemporaryDirectory(prefix="assess-image-") as tmp:
        root = Path(tmp) / "root"
        minutes = "about a minute" if profile is DEFAULT else "a few minutes"
        log(f"debootstrap {suite} from {mirror} ({minutes})")
        _run(
            ["debootstrap", "--variant=minbase",
             f"--include={','.join(profile.debian_packages)}", suite, str(root), mirror]
        )  # fmt: skip
        for rel in profile.prune:
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
