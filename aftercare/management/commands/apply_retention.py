"""Erase clients past their country's retention period, and API answers kept for retries past theirs:
`manage.py apply_retention [--dry-run]`, run daily."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from aftercare.actions import clients_due_for_erasure, erase_client
from portal.foundation.idempotency import forget_old_answers


class Command(BaseCommand):
    help = (
        "Erase what is held about clients whose supervision case closed longer ago than their country's "
        "retention period (RETENTION_YEARS_AFTER_CLOSE, else RETENTION_YEARS_DEFAULT) and who have no draft "
        "or open referral, keeping only what the indicators count, and the API's answers kept for retries "
        "longer than IDEMPOTENCY_KEY_DAYS. Each erasure is audited. Safe to run "
        "repeatedly (e.g. daily from cron); --dry-run lists the references without changing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be erased; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        due = list(clients_due_for_erasure(timezone.localdate()))
        for client in due:
            if not dry_run:
                erase_client(client)
            self.stdout.write(client.reference)  # a reference, never a name
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(f"{verb} {len(due)} clients.")
        if not dry_run:
            self.stdout.write(f"Deleted {forget_old_answers(timezone.now())} answers kept for idempotency keys.")
