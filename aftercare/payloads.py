"""Case notes as JSON, the same for the live notes socket and the staff API."""

from portal.foundation.formats import local_datetime


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def note_payload(note) -> dict:
    """A note as JSON. Text goes out as text: the page inserts it with textContent, never as HTML."""
    return {
        "id": str(note.id),
        "sequence": note.sequence,
        "author": display_name(note.author),
        "organisation": note.organisation.title,
        "visibility": note.visibility,
        "body": note.body,
        "amends": str(note.amends_id) if note.amends_id else None,
        "created_at": note.created_at.isoformat(),
        "created_at_text": local_datetime(note.created_at),  # as the pages show it, in the active language
    }
