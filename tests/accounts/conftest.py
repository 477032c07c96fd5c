import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The password-reset throttle counts in the cache (Redis, shared by the whole run): start from zero."""
    cache.clear()
