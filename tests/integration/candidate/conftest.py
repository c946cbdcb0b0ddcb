"""Fixtures of the candidate's pages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.models import Attempt
from tests.conftest import BankFactory, Factory, make_attempt
from tests.integration.candidate.test_attempt_flow import open_invitation


@pytest.fixture
def started(app: Flask, bank: BankFactory, factory: Factory, client: FlaskClient) -> Attempt:
    """An attempt opened in ``client``."""
    attempt, token = make_attempt(factory)
    open_invitation(client, token)
    return attempt
