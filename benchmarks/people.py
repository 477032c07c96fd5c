"""The staff users benchmarks/generate.py makes and the scenarios sign in as, one per role."""

from portal.foundation.roles import Role

PASSWORD = "bench-password-only"  # noqa: S105 - a throwaway benchmark database
PEOPLE = {
    "bench-social-worker": Role.PRISON_SOCIAL_WORKER,
    "bench-officer": Role.PROBATION_OFFICER,
    "bench-caseworker": Role.CSO_CASEWORKER,
    "bench-coordinator": Role.NATIONAL_COORDINATOR,  # of Iraq, the busiest country
}
