"""Shared pytest fixtures. Fixture groups live in their own modules and are imported here."""

from tests.fixtures_engine import _private_cache_dir  # noqa: F401
from tests.fixtures_io import manifest, tiny_checkpoint_copy, tiny_checkpoint_dir  # noqa: F401
from tests.fixtures_runs import engine  # noqa: F401  (one real Engine per test module)
from tests.gui_conftest import *  # noqa: F401,F403  (GUI fixtures; no Qt import at load)
