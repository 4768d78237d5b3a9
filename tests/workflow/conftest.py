import pytest

from .sample_runs import current_run, first_run, previous_run


@pytest.fixture
def runs():
    """Three monthly runs of the same kind, oldest first (see sample_runs.py)."""
    return first_run(), previous_run(), current_run()
