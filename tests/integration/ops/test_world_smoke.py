"""The world the operations tests share can be built."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.conftest import Factory
from tests.integration.ops.world import build_world, scorecards_by_attempt


def test_world_has_a_graded_scorecard(app: Flask, factory: Factory, tmp_path: Path) -> None:
    """The finished attempt carries a scorecard after its submission was graded."""
    world = build_world(factory, tmp_path)
    cards = scorecards_by_attempt()
    assert cards[world.finished_attempt] != "null"
