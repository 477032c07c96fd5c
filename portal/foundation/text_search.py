"""Search across scripts and word forms, shared by the directory search and the client-name search.

A searchable record keeps a *search document*: one text column, built by `search_document`,
that holds each of its words in three forms, separated by spaces (and starting and ending with
one, so that " word" marks the start of a word):

- normalised: lower case; Arabic without diacritics (tashkeel) or tatweel, with one alef for
  أ إ آ ٱ ا, one ya for ى ي ی, ta marbuta ة written as ه, the Persian/Kurdish kaf and heh as the
  Arabic ones, and a word with the article ال (also after و ب ك ف ل) also without it ("للسكن" and "سكن");
- folded to Latin (`fold`): Cyrillic and Arabic spelt in Latin letters (anyascii), then the
  spellings that vary between transliterations made one: й/y/i, kh/h, q/k, gh/g, zh/dzh/j,
  c/k, and doubled letters as one, so that "Айгүл", "Айгуль" and "Aigul" all read "aigul";
- a consonant skeleton (`skeleton`), marked "#" for an Arabic-script word and "+" for any other:
  Arabic is written without short vowels, so "سكن" and "sakan" compare by their consonants
  "skn". Only a word of one script against a word of the other compares this way.

A query is normalised and folded the same way, and every one of its words must match (`matching`):
its normalised or folded form starts a word of the document, its skeleton equals a skeleton of
the other script, or (on PostgreSQL, where asked) its stem equals a stem of the document in one
of the `STEMMING_CONFIGS`. Languages PostgreSQL has no stemmer for (Kazakh, Kyrgyz, Tajik,
Kurdish) get word forms by prefix: a query word longer than four letters matches by all but its
last three letters (at least four), which drops most of their suffixes ("құжаттар" → "құжат").
On PostgreSQL a trigram index (pg_trgm) serves the prefix matches and a GIN index the stems; on
SQLite the same prefix matches run as plain LIKE.
"""

import functools
import operator
import re
import unicodedata

from anyascii import anyascii
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.db import connection, migrations
from django.db.models import Q
from django.db.models.expressions import Expression

# PostgreSQL's snowball dictionaries for the portal's languages; the others match by prefix.
STEMMING_CONFIGS = ("english", "russian", "arabic")
SHORTEST_PREFIX = 4
SUFFIX_ALLOWANCE = 3

ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640\u200c\u200d]")
ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ک": "ك", "ھ": "ه"}
)
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
# The article ال, alone or after a one-letter particle (and, with, like, so, for: لل for ل+ال).
ARABIC_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
SHORTEST_STEM = 3
WORD = re.compile(r"[^\W_]+")
NOT_LATIN = re.compile("[^a-z0-9]")
# Spellings that differ between transliterations of the same name, in the order they apply.
LATIN_VARIANTS = (
    (re.compile("dzh|zh"), "j"),
    (re.compile("kh"), "h"),
    (re.compile("gh"), "g"),
    (re.compile("q"), "k"),
    (re.compile("c(?!h)"), "k"),
    (re.compile("y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)
VOWELS = re.compile("[aeiouw]")
FINAL_H = re.compile("h$")
DOUBLED = re.compile(r"(.)\1+")
ARABIC_SKELETON_MARK = "#"
OTHER_SKELETON_MARK = "+"


def normalise(text: str) -> str:
    """Lower case, Unicode-composed, Arabic without diacritics and with one form of each variant letter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return ARABIC_MARKS.sub("", text).translate(ARABIC_LETTERS)


def words(text: str) -> list[str]:
    """The normalised words of a text (letters and digits; punctuation separates)."""
    return WORD.findall(normalise(text))


def fold(word: str) -> str:
    """A normalised word spelt in Latin letters, with transliteration variants made one."""
    latin = NOT_LATIN.sub("", anyascii(word).lower())
    for variant, replacement in LATIN_VARIANTS:
        latin = variant.sub(replacement, latin)
    return latin


def is_arabic(word: str) -> bool:
    return bool(ARABIC_SCRIPT.search(word))


def without_article(word: str) -> str:
    """A normalised Arabic word without the article ال, alone or after و ب ك ف ل ("والسكن", "للسكن" → "سكن")."""
    for article in ARABIC_ARTICLES:
        if word.startswith(article) and len(word) >= len(article) + SHORTEST_STEM:
            return word[len(article) :]
    return word


def skeleton(word: str) -> str:
    """A normalised word's consonants in Latin letters, without the Arabic article; "" when under two."""
    consonants = DOUBLED.sub(r"\1", FINAL_H.sub("", VOWELS.sub("", fold(without_article(word)))))
    return consonants if len(consonants) >= 2 else ""


def skeleton_token(word: str, *, of_arabic: bool) -> str:
    mark = ARABIC_SKELETON_MARK if of_arabic else OTHER_SKELETON_MARK
    return mark + skeleton(word)


def search_document(*texts: str) -> str:
    """The search column's value for these texts: each word normalised, folded and as a skeleton; "" for none."""
    tokens: dict[str, None] = {}
    for word in words(" ".join(text for text in texts if text)):
        tokens[word] = None
        tokens[without_article(word)] = None
        if folded := fold(word):
            tokens[folded] = None
        if skeleton(word):
            tokens[skeleton_token(word, of_arabic=is_arabic(word))] = None
    return f" {' '.join(tokens)} " if tokens else ""


def prefix(word: str) -> str:
    """The start a document word must have to match a query word: all but a suffix allowance."""
    return word[: max(SHORTEST_PREFIX, len(word) - SUFFIX_ALLOWANCE)]


def word_matches(field: str, word: str) -> Q:
    """A normalised query word found in `field` by prefix, by its Latin folding or by its skeleton."""
    starts = {f" {prefix(without_article(word))}"}
    if folded := fold(word):
        starts.add(f" {prefix(folded)}")
    condition = Q()
    for start in sorted(starts):
        condition |= Q(**{f"{field}__contains": start})
    if skeleton(word):  # compared whole, with the skeletons of the other script only
        other_script = skeleton_token(word, of_arabic=not is_arabic(word))
        condition |= Q(**{f"{field}__contains": f" {other_script} "})
    return condition


def stemmed_vector(field: str) -> Expression:
    """`field`'s stems in every stemming configuration: the expression the stem index is built on."""
    first, *others = (SearchVector(field, config=config) for config in STEMMING_CONFIGS)
    return functools.reduce(operator.add, others, first)


def stem_matches(field: str, word: str) -> SearchVectorExact:
    """`field` holds a word of the same stem as `word` in one of the stemming configurations."""
    query = SearchQuery(word, config=STEMMING_CONFIGS[0])
    for config in STEMMING_CONFIGS[1:]:
        query = query | SearchQuery(word, config=config)
    return SearchVectorExact(stemmed_vector(field), query)


def matching(field: str, query: str, *, stemmed: bool = False) -> Q:
    """Records whose search document in `field` matches every word of `query` (no words: every record).

    `stemmed` adds PostgreSQL's stemming (ignored on other databases, which match by prefix only).
    """
    condition = Q()
    for word in dict.fromkeys(words(query)):
        word_condition = word_matches(field, word)
        if stemmed and connection.vendor == "postgresql":
            word_condition |= Q(stem_matches(field, word))
        condition &= word_condition
    return condition


def postgresql_indexes(app_label: str, model_name: str, indexes: list) -> migrations.RunPython:
    """A migration step adding (and on reverse removing) search indexes that only PostgreSQL has (pg_trgm, GIN)."""

    def add(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for index in indexes:
                schema_editor.add_index(apps.get_model(app_label, model_name), index)

    def remove(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for index in indexes:
                schema_editor.remove_index(apps.get_model(app_label, model_name), index)

    return migrations.RunPython(add, remove)
