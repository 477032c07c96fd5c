"""The Content-Security-Policy of every response (settings.CONTENT_SECURITY_POLICY), widened for the Wagtail admin only.

Wagtail 8's admin writes inline scripts (its InlinePanel and date choosers start from `<script>`
elements in the page) and style attributes, so under /admin/ scripts and styles may also be
inline. Everywhere else the portal's own pages keep a strict policy: scripts and styles from
static files of this host only. The admin stays staff-only, and every other directive (no other
host, no framing) applies to it unchanged.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"
ADMIN_ALLOWANCES = {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**(parts.update or {}), **ADMIN_ALLOWANCES}
        return parts
