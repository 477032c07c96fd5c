"""Mark overdue check-ins missed: `manage.py flag_missed_check_ins [--grace-days N]`, run daily."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aftercare.actions import mark_overdue_check_ins_missed


class Command(BaseCommand):
    help = (
        "Mark check-ins still scheduled more than --grace-days after their date as missed, which alerts the officer "
        "and the office's supervisors. Safe to run repeatedly (e.g. daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-days", type=int, default=1, help="Days after its date before a check-in counts as missed."
        )

    def handle(self, *args, grace_days: int, **options):
        if grace_days < 0:
            raise CommandError("--grace-days cannot be negative.")
        missed = mark_overdue_check_ins_missed(timezone.localdate(), grace_days)
        self.stdout.write(f"Marked {len(missed)} check-ins missed.")
