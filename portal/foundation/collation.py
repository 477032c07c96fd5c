"""Names in the order of the visitor's alphabet: one sort key, used wherever names are listed.

Python compares code points, which puts the Kazakh, Kyrgyz and Tajik letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І
Ӣ Ӯ Ҳ Ҷ) after Я and the Kurdish ones (پ چ ڕ ژ ڤ ک گ ڵ ۆ ە ی ێ) after the Arabic ones. Each
language's alphabet here gives every letter its place; letters written alike weigh the same (ё as
е in Russian, the hamza forms of alef as alef, Arabic kaf and ya as the Kurdish ones), Arabic
diacritics and the tatweel weigh nothing, and case never matters. Spaces and punctuation come
before digits, digits before letters, letters of the alphabet before any other.
"""

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.utils.translation import get_language

Item = TypeVar("Item")

LATIN = "a b c d e f g h i j k l m n o p q r s t u v w x y z"
# Each space-separated group is one letter; the letters of a group weigh the same.
ALPHABETS = {
    "en": LATIN,
    "ru": "а б в г д её ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я",
    "kk": "а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш щ ъ ы і ь э ю я",
    "ky": "а б в г д е ё ж з и й к л м н ң о ө п р с т у ү ф х ц ч ш щ ъ ы ь э ю я",
    "tg": "а б в г ғ д е ё ж з и ӣ й к қ л м н о п р с т у ӯ ф х ҳ ч ҷ ш ъ э ю я",
    "ar": "ء اأإآٱ ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق كک ل م ن هةھ وؤ يىئی",
    "ckb": "ئ اأإآ ب پ ت ج چ ح خ د ر ڕ ز ژ س ش ع غ ف ڤ ق کك گ ل ڵ م ن ھه ە وؤ ۆ یيى ێ",
}
# Arabic harakat, superscript alef and tatweel: never part of a name's order.
IGNORED = {chr(code) for code in range(0x064B, 0x0653)} | {"\u0670", "\u0640"}

SEPARATOR, DIGIT, LETTER, OTHER = range(4)


def letter_weights(alphabet: str) -> dict[str, int]:
    return {letter: place for place, group in enumerate(alphabet.split()) for letter in group}


WEIGHTS = {language: letter_weights(alphabet) for language, alphabet in ALPHABETS.items()}


def weight(character: str, letters: dict[str, int]) -> tuple[int, int]:
    if character in letters:
        return (LETTER, letters[character])
    if character.isdigit():
        return (DIGIT, ord(character))
    if character.isalpha():
        return (OTHER, ord(character))
    return (SEPARATOR, ord(character))


def plain_latin(character: str) -> str:
    """A Latin letter without its accents (é → e), any other character as it is."""
    base = unicodedata.normalize("NFKD", character)[0]
    return base if base.isascii() else character


def name_sort_key(name: str, language: str | None = None) -> tuple:
    """The key ordering `name` as the alphabet of `language` (default: the active one) does; languages
    without an alphabet here use the English one. Equal keys are broken by the name itself."""
    language = language or get_language() or "en"
    letters = WEIGHTS.get(language, WEIGHTS["en"])
    folded = [plain_latin(character) for character in name.casefold() if character not in IGNORED]
    return (tuple(weight(character, letters) for character in folded), name)


def sorted_by_name(items: Iterable[Item], name: Callable[[Item], str] = str) -> list[Item]:
    """The items ordered by their names (`str` of each, or `name`) in the active language's alphabet."""
    return sorted(items, key=lambda item: name_sort_key(name(item)))
