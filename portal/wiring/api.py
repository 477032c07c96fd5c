"""The staff JSON API at /api/: the NinjaAPI of `referrals.api` with the routers of the apps above it.

Assembled here, on top, because the apps depend one way (cso_directory ← referrals ← aftercare):
referrals must not import aftercare to mount its endpoints.
"""

from aftercare.api import router as case_notes_router
from referrals.api import api

api.add_router("/", case_notes_router)

__all__ = ["api"]
