"""Loaded by pytest before Django's settings (`-p tests.environment` in pyproject.toml): the
tests run with the development settings, as `make run` does, unless the environment says
otherwise. Production settings are exercised by `.ci/smoke`."""

import os

os.environ.setdefault("DEBUG", "true")
