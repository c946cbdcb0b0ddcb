"""The image build: content-addressed tag, offline and online paths (engine faked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docker.errors
import pytest

from sandbox.image import build as image_build
from sandbox.image import build_image, image_tag


class FakeImages:
    """The ``client.images`` part of a Docker client."""

    def __init__(self, present: set[str], fail_build: bool = False) -> None:
        """Images present in the fake engine."""
        self.present = present
        self.fail_build = fail_build
        self.built: list[dict[str, Any]] = []
        self.tags: list[tuple[str, str]] = []

    def get(self, tag: str) -> Any:
        """Return an image or raise ImageNotFound."""
        if tag not in self.present:
            raise docker.errors.ImageNotFound(tag)
        images = self

        class Image:
            def tag(self, repository: str, version: str) -> None:
                images.tags.append((repository, version))

        return Image()

    def list(self, name: str) -> Any:
        """Images of a repository (one image holding every tag, for simplicity)."""

        class Image:
            tags = sorted(t for t in self.present if t.startswith(name + ":"))

        return [Image()]

    def remove(self, tag: str) -> None:
        """Remove a tag; a busy one is refused."""
        if tag.endswith(":busy"):
            raise docker.errors.APIError("image is being used by a container")
        self.present.discard(tag)

    def build(self, **kwargs: Any) -> None:
        """Record a build."""
        if self.fail_build:
            raise docker.errors.BuildError("no base", [])
        self.built.append(kwargs)
        self.present.add(kwargs["tag"])


class FakeApi:
    """The low-level API: import only."""

    def __init__(self, images: FakeImages, fail: bool = False) -> None:
        """Remember imports."""
        self.images = images
        self.imported: list[tuple[str, str]] = []
        self.fail = fail

    def import_image_from_file(self, path: str, repository: str, tag: str, changes: Any) -> None:
        """Record an import."""
        if self.fail:
            raise docker.errors.APIError("import refused")
        assert Path(path).is_file()
        self.imported.append((repository, tag))
        self.images.present.add(f"{repository}:{tag}")


class FakeClient:
    """Just enough of docker.DockerClient."""

    def __init__(self, present: set[str] | None = None, **kw: Any) -> None:
        """A fake engine with ``present`` images."""
        self.images = FakeImages(present or set(), kw.get("fail_build", False))
        self.api = FakeApi(self.images, kw.get("fail_import", False))
        self.index = kw.get("index", "")

    def info(self) -> dict[str, str]:
        """Engine info."""
        return {"IndexServerAddress": self.index}


def test_tag_is_content_addressed() -> None:
    """The tag is stable for the same inputs."""
    assert image_tag() == image_tag()
    assert image_tag().startswith("assess-sandbox:")


def test_existing_image_is_not_rebuilt() -> None:
    """An up-to-date image is reused."""
    client = FakeClient({image_tag()})
    logs: list[str] = []
    assert build_image(client=client, log=logs.append) == image_tag()  # type: ignore[arg-type]
    assert client.images.built == []
    assert "up to date" in logs[0]


def test_online_build_uses_the_dockerfile() -> None:
    """With the base image present, the Dockerfile is built on it; old tags are pruned."""
    client = FakeClient({image_build.BASE_IMAGE, "assess-sandbox:old", "assess-sandbox:busy"})
    tag = build_image(client=client, log=lambda _: None)  # type: ignore[arg-type]
    assert client.images.built[0]["buildargs"] == {"BASE": image_build.BASE_IMAGE}
    assert client.images.built[0]["dockerfile"] == "image/Dockerfile"
    assert ("assess-sandbox", "latest") in client.images.tags
    assert tag == image_tag()
    assert "assess-sandbox:old" not in client.images.present
    assert "assess-sandbox:busy" in client.images.present


def test_offline_build_bootstraps_from_the_apt_mirror(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline: debootstrap from the host's mirror, import, then the Dockerfile on that base."""
    commands: list[list[str]] = []

    def fake_run(argv: list[str]) -> None:
        commands.append(argv)
        if argv[0] == "tar":
            Path(argv[-2]).write_bytes(b"tar")
        if argv[0] == "debootstrap":
            (Path(argv[-2]) / "usr" / "share" / "doc").mkdir(parents=True)

    monkeypatch.setattr(image_build, "_run", fake_run)
    monkeypatch.setattr(
        image_build, "find_mirror", lambda: ("http://mirror.test/debian", "bookworm")
    )
    monkeypatch.setattr(image_build.shutil, "which", lambda name: "/usr/sbin/debootstrap")
    client = FakeClient()
    build_image(offline=True, client=client, log=lambda _: None)  # type: ignore[arg-type]
    assert commands[0][0] == "debootstrap"
    assert commands[0][-1] == "http://mirror.test/debian"
    assert "--include=python3,python3-pytest" in commands[0]
    base = image_build.base_tag("bookworm")
    assert client.api.imported == [tuple(base.split(":"))]
    assert client.images.built[0]["buildargs"] == {"BASE": base}


def test_offline_auto_detected_without_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """No base image and no registry: the offline path is chosen."""
    chosen: list[str] = []

    def fake_offline(client: FakeClient, tag: str, log: Any, force: bool) -> None:
        chosen.append("offline")
        client.images.present.add(tag)

    monkeypatch.setattr(image_build, "registry_reachable", lambda client: False)
    monkeypatch.setattr(image_build, "_build_offline", fake_offline)
    build_image(client=FakeClient(), log=lambda _: None)  # type: ignore[arg-type]
    assert chosen == ["offline"]


def test_failures_become_image_build_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build, import and missing-tool failures raise ImageBuildError."""
    client = FakeClient({image_build.BASE_IMAGE}, fail_build=True)
    with pytest.raises(image_build.ImageBuildError, match="docker build failed"):
        build_image(offline=False, client=client, log=lambda _: None)  # type: ignore[arg-type]
    monkeypatch.setattr(image_build.shutil, "which", lambda name: None)
    monkeypatch.setattr(image_build, "find_mirror", lambda: ("http://m.test/debian", "bookworm"))
    with pytest.raises(image_build.ImageBuildError, match="needs debootstrap"):
        build_image(offline=True, client=FakeClient(), log=lambda _: None)  # type: ignore[arg-type]
    monkeypatch.setattr(image_build.shutil, "which", lambda name: "/bin/true")

    def fake_run(argv: list[str]) -> None:
        if argv[0] == "tar":
            Path(argv[-2]).write_bytes(b"tar")

    monkeypatch.setattr(image_build, "_run", fake_run)
    with pytest.raises(image_build.ImageBuildError, match="import failed"):
        build_image(offline=True, client=FakeClient(fail_import=True), log=lambda _: None)  # type: ignore[arg-type]


def test_run_reports_command_output() -> None:
    """A failing build step raises with its output."""
    with pytest.raises(image_build.ImageBuildError, match="false failed"):
        image_build._run(["false"])


def test_registry_reachable() -> None:
    """No index address, or an unreachable one, means offline."""
    assert not image_build.registry_reachable(FakeClient(index=""))  # type: ignore[arg-type]
    unreachable = FakeClient(index="https://registry.invalid/v1/")
    assert not image_build.registry_reachable(unreachable, timeout=0.5)  # type: ignore[arg-type]
