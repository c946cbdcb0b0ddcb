"""The runner image: what every sandbox container runs.

Contents either way: Debian bookworm's Python 3.11, pytest 7.2.1 (with its own
dependencies), and the harness in ``/opt/harness``. Tasks may import only the
standard library and :data:`ALLOWED_LIBRARIES`. The ``services`` profile
(``build_image(profile="services")``) adds PostgreSQL 15, Redis, git and a web
stack; see ``profiles.py``.
"""

from __future__ import annotations

from sandbox.image.build import (
    ALLOWED_LIBRARIES,
    DOCKERFILE,
    IMAGE_REPOSITORY,
    ImageBuildError,
    build_image,
    image_exists,
    image_tag,
)
from sandbox.image.profiles import PROFILES, Profile

__all__ = [
    "ALLOWED_LIBRARIES",
    "DOCKERFILE",
    "IMAGE_REPOSITORY",
    "PROFILES",
    "ImageBuildError",
    "Profile",
    "build_image",
    "image_exists",
    "image_tag",
]
