"""How often one address and one IP address may ask for a password-reset link: counted in the cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def within_limit(key: str, limit: int) -> bool:
    """Count one more request under `key`; the count starts on the first and lasts PASSWORD_RESET_WINDOW."""
    cache.add(key, 0, timeout=settings.PASSWORD_RESET_WINDOW)
    return cache.incr(key) <= limit


def password_reset_limits_reached(email: str, ip: str) -> list[str]:
    """Which limits this request goes over ("address", "ip"); both are counted every time. The cache
    holds a digest of the address, not the address."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    limits = {
        "address": within_limit(f"accounts:password-reset:address:{digest}", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS),
        "ip": within_limit(f"accounts:password-reset:ip:{ip}", settings.PASSWORD_RESET_LIMIT_PER_IP),
    }
    return [name for name, allowed in limits.items() if not allowed]
