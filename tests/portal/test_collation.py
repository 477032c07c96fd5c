"""Names sort in the order of the visitor's alphabet (portal.foundation.collation): orders checked by hand
against each alphabet, on the regions of the reference data and on letters code points misplace."""

import csv

import pytest
from django.utils import translation

from cso_directory.reference_data import DATA_DIR
from portal.foundation.collation import name_sort_key, sorted_by_name

KAZAKH_REGIONS = [
    "Абай облысы",
    "Ақмола облысы",
    "Ақтөбе облысы",
    "Алматы қаласы",
    "Алматы облысы",
    "Астана қаласы",
    "Атырау облысы",
    "Батыс Қазақстан облысы",
    "Жамбыл облысы",
    "Жетісу облысы",
    "Қарағанды облысы",
    "Қостанай облысы",
    "Қызылорда облысы",
    "Маңғыстау облысы",
    "Павлодар облысы",
    "Солтүстік Қазақстан облысы",
    "Түркістан облысы",
    "Ұлытау облысы",
    "Шығыс Қазақстан облысы",
    "Шымкент қаласы",
]
ARABIC_REGIONS = [
    "أربيل (إقليم كوردستان)",
    "الأنبار",
    "البصرة",
    "السليمانية (إقليم كوردستان)",
    "القادسية",
    "المثنى",
    "النجف",
    "بابل",
    "بغداد",
    "دهوك (إقليم كوردستان)",
    "ديالى",
    "ذي قار",
    "صلاح الدين",
    "كربلاء",
    "كركوك",
    "ميسان",
    "نينوى",
    "واسط",
]
KURDISH_REGIONS = [
    "ئەنبار",
    "بابل",
    "بەسرە",
    "بەغدا",
    "دهۆک",
    "دیالە",
    "زیقار",
    "سلێمانی",
    "سەلاحەدین",
    "قادسیە",
    "کەربەلا",
    "کەرکووک",
    "مەیسان",
    "موسەننا",
    "نەجەف",
    "نەینەوا",
    "هەولێر",
    "واسیت",
]
KYRGYZ_REGIONS = [
    "Баткен облусу",
    "Бишкек шаары",
    "Жалал-Абад облусу",
    "Нарын облусу",
    "Ош облусу",
    "Ош шаары",
    "Талас облусу",
    "Чүй облусу",
    "Ысык-Көл облусу",
]
HAND_CHECKED = [
    ("kk", ["Кент", "Қарағанды", "Лепсі", "Ұлытау", "Үржар", "Һ", "Іле", "Яссы"]),
    # Ӣ after И, Ӯ after У, Ҳ after Х, Ҷ after Ч.
    (
        "tg",
        [
            "Вилояти Суғд",
            "Исфара",
            "Ӣлоқ",
            "Йовон",
            "Умед",
            "Ӯротеппа",
            "Фарҳанг",
            "Хатлон",
            "Ҳисор",
            "Чашма",
            "Ҷумҳурӣ",
            "Шаҳр",
        ],
    ),
    # Ң after Н, Ө after О, Ү after У.
    ("ky", ["Нарын облусу", "Ноокат", "Ңа", "Ош облусу", "Өзгөн", "Ураан", "Үч-Коргон", "Фрунзе"]),
    # Ё weighs as Е; case never matters.
    ("ru", ["город Алматы", "Ёлка", "есть", "Жамбыл", "область Абай", "Ярославль"]),
    # Hamza forms of alef weigh as alef, vowel marks nothing.
    ("ar", ["أربيل", "اسم", "إقليم", "بَيت", "بيروت"]),
    # پ after ب, چ after ج, ڕ after ر, ک after ق, گ after ک, ڵ after ل, ۆ after و, ێ after ی.
    (
        "ckb",
        [
            "بانە",
            "پێنجوێن",
            "جەلەولا",
            "چەمچەماڵ",
            "رانیە",
            "ڕواندز",
            "قەڵادزێ",
            "کۆیە",
            "گەرمیان",
            "لەیلان",
            "ڵ",
            "وان",
            "ۆ",
            "یاسین",
            "ێ",
        ],
    ),
    ("en", ["Ålesund", "Almaty (city)", "Basra", "Émile", "erbil"]),
]


def names_of(filename: str, language: str, country: str) -> list[str]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as file:
        return [row[f"name_{language}"] for row in csv.DictReader(file) if row["country"] == country]


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [
        ("kk", "KZ", KAZAKH_REGIONS),
        ("ar", "IQ", ARABIC_REGIONS),
        ("ckb", "IQ", KURDISH_REGIONS),
        ("ky", "KG", KYRGYZ_REGIONS),
    ],
)
def test_the_regions_sort_in_the_order_of_the_languages_alphabet(language, country, expected):
    names = names_of("regions.csv", language, country)[::-1]

    with translation.override(language):
        assert sorted_by_name(names) == expected


@pytest.mark.parametrize(("language", "expected"), HAND_CHECKED)
def test_letters_sort_where_their_alphabet_puts_them(language, expected):
    assert sorted(reversed(expected), key=lambda name: name_sort_key(name, language)) == expected


def test_a_kazakh_letter_is_not_placed_after_ya():
    with translation.override("kk"):
        assert sorted_by_name(["Яссы", "Қарағанды", "Кент", "Лепсі"]) == ["Кент", "Қарағанды", "Лепсі", "Яссы"]
