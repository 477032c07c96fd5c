"""After release: supervision cases, plans with goals per pathway, check-ins, alerts and case notes.

Case notes belong to a client (the case team writes them from before release on) and carry a
per-client sequence number: a WebSocket client that reconnects asks for every note after the
last number it saw, so nothing is lost and nothing is shown twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cso_directory.models import OrganisationKind, OrganisationPage
from referrals.models import Client


class SupervisionCase(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="supervision_case")
    probation_office = models.ForeignKey(
        OrganisationPage,
        on_delete=models.PROTECT,
        related_name="supervision_cases",
        limit_choices_to={"kind": OrganisationKind.PROBATION},
        verbose_name=_("probation office"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_cases",
        verbose_name=_("probation officer"),
    )
    opened_on = models.DateField(_("release date"), db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    handover_summary = models.JSONField(_("handover summary"), default=dict, blank=True)
    handover_note = models.TextField(_("handover note"), max_length=5_000, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on"]
        verbose_name = _("supervision case")
        verbose_name_plural = _("supervision cases")

    def __str__(self) -> str:
        return f"{self.client} · {self.opened_on}"


class Pathway(models.TextChoices):
    """The reintegration pathways of a supervision plan."""

    ACCOMMODATION = "accommodation", _("Accommodation")
    EDUCATION_WORK = "education_work", _("Education, skills and work")
    FAMILY = "family", _("Family and children")
    FINANCE_DOCUMENTS = "finance_documents", _("Finance, ID and documents")
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal")
    ATTITUDES = "attitudes", _("Attitudes and disengagement")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class Achievement(models.IntegerChoices):
    NONE = 0, _("No progress")
    LITTLE = 1, _("A little progress")
    SOME = 2, _("Some progress")
    MOST = 3, _("Most of the way")
    FULL = 4, _("Fully achieved")


class Goal(models.Model):
    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="goals")
    pathway = models.CharField(_("pathway"), max_length=20, choices=Pathway.choices, db_index=True)
    description = models.TextField(_("goal"), max_length=1_000)
    target_date = models.DateField(_("target date"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED, db_index=True
    )
    achievement = models.PositiveSmallIntegerField(_("achievement"), choices=Achievement.choices, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pathway", "target_date"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}: {self.description[:40]}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.target_date is not None
            and self.target_date < timezone.localdate()
            and self.status != GoalStatus.ACHIEVED
        )


def overdue_goals() -> models.Q:
    """`Goal.is_overdue` as a database filter: the target date has passed and the goal is not achieved."""
    return models.Q(target_date__lt=timezone.localdate()) & ~models.Q(status=GoalStatus.ACHIEVED)


class GoalReview(models.Model):
    """A goal's status and achievement at one review: together they show progress over time."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=20, choices=GoalStatus.choices)
    achievement = models.PositiveSmallIntegerField(choices=Achievement.choices)
    note = models.TextField(_("note"), max_length=2_000, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return f"{self.goal_id} · {self.achievement}"


class CheckInStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Missed")
    RESCHEDULED = "rescheduled", _("Rescheduled")


class CheckIn(models.Model):
    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="check_ins")
    due_on = models.DateField(_("date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CheckInStatus.choices, default=CheckInStatus.SCHEDULED, db_index=True
    )
    from_template = models.BooleanField(default=False, editable=False)
    note = models.TextField(_("note"), max_length=2_000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.due_on} · {self.status}"


class Alert(models.Model):
    """A notice to one user that needs attention, e.g. a missed check-in."""

    class Kind(models.TextChoices):
        MISSED_CHECK_IN = "missed_check_in", _("Missed check-in")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="alerts")
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "check_in", "kind"], name="one_alert_per_user_and_check_in")
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.case_id}"


class NoteVisibility(models.TextChoices):
    TEAM = "team", _("Whole case team")
    ORGANISATION = "organisation", _("My organisation only")


class CaseNote(models.Model):
    """A note on a client. Never edited: an amendment is a new note pointing at the one it amends."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="case_notes")
    sequence = models.PositiveIntegerField(editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(OrganisationPage, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=NoteVisibility.choices, default=NoteVisibility.TEAM
    )
    body = models.TextField(_("note"), max_length=20_000)
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments", verbose_name=_("amends")
    )
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["client", "sequence"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        constraints = [
            models.UniqueConstraint(fields=["client", "sequence"], name="unique_note_sequence_per_client"),
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="unique_note_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.client} #{self.sequence}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Case notes are never edited; add an amendment instead.")
        super().save(*args, **kwargs)
