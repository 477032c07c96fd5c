"""The foundation every app builds on: audit, real-time broadcasts, countries, roles, listings.

It imports no feature app. Its Django app keeps the label `portal`, so its tables and
migrations are those of the original `portal` app.
"""
