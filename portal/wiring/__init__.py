"""The wiring on top of the apps: URLs, ASGI routing, the staff API's assembly, the health check.

Only this package may import every app; no app imports it.
"""
