"""Expire sent referrals nobody answered in time: `manage.py expire_referrals`, run daily.

Each expired referral's referrer gets an in-app notice and an email (see `referrals.notifications`).
"""

from django.core.management.base import BaseCommand

from referrals.actions import expire_overdue_referrals


class Command(BaseCommand):
    help = "Expire the sent referrals whose answer is overdue, and notify whoever sent them."

    def handle(self, *args, **options):
        expired = expire_overdue_referrals()
        self.stdout.write(f"Expired {len(expired)} referral(s).")
