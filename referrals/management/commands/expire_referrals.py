"""Chase sent referrals nobody answered in time: `manage.py expire_referrals`, run daily.

Referrals past their deadline and the country's grace days expire (their referrer is told);
those just past their deadline are announced as overdue to both sides, once.
"""

from django.core.management.base import BaseCommand

from referrals.actions import announce_overdue_referrals, expire_overdue_referrals


class Command(BaseCommand):
    help = "Expire sent referrals unanswered past their deadline and grace days; announce newly overdue ones."

    def handle(self, *args, **options):
        expired = expire_overdue_referrals()
        overdue = announce_overdue_referrals()
        self.stdout.write(f"Expired {len(expired)} referral(s).")
        self.stdout.write(f"Announced {len(overdue)} overdue referral(s).")
