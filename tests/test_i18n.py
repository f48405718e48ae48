"""Vietnamese folding, collation and number/date formatting (domain.md §6)."""

import unicodedata
from datetime import UTC, date, datetime

import pytest

from fieldapp.i18n import fmt_date, fmt_datetime, fmt_number, fmt_percent, fold, vi_key, vi_name_key


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("text", [
    "Nguyễn Văn Đức",
    "nguyen van duc",
    "NGUYỄN VĂN ĐỨC",
    nfd("Nguyễn Văn Đức"),
    "  Nguyễn   Văn\tĐức \n",
    "Nguyen Van Duc",
])
def test_fold_matches_plain_ascii_search(text):
    assert fold(text) == "nguyen van duc"


@pytest.mark.parametrize("text, folded", [
    ("Đ", "d"),
    ("đ", "d"),
    ("Đặng Thị Ưng", "dang thi ung"),
    ("Ơn Ấn Ăn Ê Ô", "on an an e o"),
    ("", ""),
    (None, ""),
])
def test_fold_letters_without_decomposition(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("before, after", [
    ("a", "ă"), ("ă", "â"), ("a", "â"),
    ("d", "đ"), ("e", "ê"),
    ("o", "ô"), ("ô", "ơ"), ("o", "ơ"),
    ("u", "ư"),
    ("ma", "mà"), ("mà", "mả"), ("mả", "mã"), ("mã", "má"), ("má", "mạ"),
    ("mạ", "mb"),  # letters decide before tones
    ("Do", "Đặng"), ("Đặng", "Đỗ"), ("Dương", "Đào"),
    ("Ấn", "Bảo"), ("Âu", "Bình"), ("Ăn", "Âu"),
    ("Ơn", "Phúc"), ("Ôn", "Ơn"), ("Ưng", "Vân"), ("Uyên", "Ưng"),
    ("Yến", "Zô"),
])
def test_vi_key_orders_vietnamese_letters_and_tones(before, after):
    assert vi_key(before) < vi_key(after)


def test_vi_key_ignores_case_normal_form_and_spacing():
    assert vi_key(nfd("Đức")) == vi_key("Đức") == vi_key("đức")
    assert vi_key("  Phước   Lộc ") == vi_key("Phước Lộc")


def test_tones_sort_in_vietnamese_order():
    expected = ["ma", "mà", "mả", "mã", "má", "mạ"]
    shuffled = ["mạ", "má", "ma", "mã", "mà", "mả"]
    assert sorted(shuffled, key=vi_key) == expected
    assert sorted(shuffled) != expected  # code-point order puts má before mà


def test_names_with_special_letters_sort_in_alphabet_order():
    expected = ["An", "Ăn", "Ấn", "Bảo", "Dũng", "Đào", "Đức", "Hà", "Ơn", "Phúc", "Uyên", "Ưng", "Vân"]
    shuffled = ["Ưng", "Đức", "Vân", "Ơn", "An", "Phúc", "Ấn", "Dũng", "Hà", "Ăn", "Bảo", "Uyên", "Đào"]
    assert sorted(shuffled, key=vi_key) == expected
    # Python's plain order puts Ă, Â, Đ, Ơ, Ư after Z: the key is what makes lists right.
    plain = sorted(shuffled)
    assert plain != expected
    assert plain.index("Đức") > plain.index("Vân")


@pytest.mark.parametrize("names, expected", [
    (["Trần Văn An", "Lê Thị Bình"], ["Trần Văn An", "Lê Thị Bình"]),
    (["Nguyễn Đức", "Nguyễn Dũng"], ["Nguyễn Dũng", "Nguyễn Đức"]),
    (["Trần Văn An", "Lê An"], ["Lê An", "Trần Văn An"]),
    (["Võ Đình Ưng", "Huỳnh Thị Ơn", "Phạm Minh Đức", "Lê Văn Cường"],
     ["Lê Văn Cường", "Phạm Minh Đức", "Huỳnh Thị Ơn", "Võ Đình Ưng"]),
])
def test_vi_name_key_sorts_by_given_name_then_full_name(names, expected):
    assert sorted(names, key=vi_name_key) == expected


def test_plain_sort_gets_people_lists_wrong():
    names = ["Trần Văn An", "Lê Thị Bình", "Nguyễn Đức", "Nguyễn Dũng"]
    expected = ["Trần Văn An", "Lê Thị Bình", "Nguyễn Dũng", "Nguyễn Đức"]
    assert sorted(names, key=vi_name_key) == expected
    assert sorted(names) != expected


def test_formatting_in_vietnamese(app):
    with app.test_request_context():
        assert fmt_date(date(2025, 4, 22)) == "22/04/2025"
        assert fmt_number(1234567) == "1.234.567"
        assert fmt_percent(0.885) == "88,5%"
        assert fmt_percent(None) == "–"
        assert fmt_date(None) == fmt_datetime(None) == fmt_number(None) == ""


def test_datetimes_show_commune_time(app):
    with app.test_request_context():
        assert fmt_datetime(datetime(2025, 4, 22, 7, 5, tzinfo=UTC)) == "14:05 22/04/2025"
        # 20:30 UTC on the 21st is already the 22nd in Quảng Ngãi.
        assert fmt_date(datetime(2025, 4, 21, 20, 30, tzinfo=UTC)) == "22/04/2025"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_fast_percent_matches_babel(app, lang):
    """fmt_percent skips Babel's per-call cost but must write exactly what Babel writes."""
    from flask_babel import format_percent

    values = [0, 1, 0.5, 0.885, 0.1235, 0.0005, 0.00049, 0.99951, 2 / 3, 1 / 7, -0.125, 9.9999, 12.345,
              *(n / 997 for n in range(0, 2000, 7))]
    with app.test_request_context(f"/?lang={lang}"):
        assert fmt_percent(0.885) == {"vi": "88,5%", "en": "88.5%"}[lang]
        for v in values:
            assert fmt_percent(v) == format_percent(v, "#,##0.0%"), v


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_fast_whole_numbers_match_babel(app, lang):
    """fmt_number groups whole numbers itself but must write exactly what Babel writes."""
    from flask_babel import format_decimal

    values = [0, 7, -7, 999, 1000, -1000, 1234567, -98765432, 10**12 + 5, *range(0, 3_000_000, 99_991)]
    with app.test_request_context(f"/?lang={lang}"):
        assert fmt_number(1234567) == {"vi": "1.234.567", "en": "1,234,567"}[lang]
        for v in values:
            assert fmt_number(v) == format_decimal(v), v
        assert fmt_number(1234.5) == format_decimal(1234.5)  # not whole: Babel's path
