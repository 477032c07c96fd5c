"""URL converters of the workspace. Importing this module registers them (once).

`<id:...>` takes a record id: a whole number a 64-bit id column holds. A larger one matches no
URL, so it answers 404 on every database instead of failing in the query.
"""

from django.urls import register_converter

from portal.foundation.validators import LARGEST_ID


class RecordIdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= LARGEST_ID:
            raise ValueError(f"{value} is not a record id.")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "id")
