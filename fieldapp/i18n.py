"""Locale and timezone selection, Vietnamese folding, sorting and formatting."""

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def select_locale() -> str:
    """Pick the user's saved language, then the visitor's cookie, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and background work speak Vietnamese
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.args.get("lang") in languages:  # the public page switches with a plain link
        return request.args["lang"]
    user = g.get("user")
    if user is not None and user.locale in languages:
        return user.locale
    chosen = session.get("locale") or request.cookies.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Every screen shows commune time."""
    return "Asia/Ho_Chi_Minh"


def fold(text: str | None) -> str:
    """Diacritic- and case-free form for search: 'Nguyễn Văn Đức' -> 'nguyen van duc'."""
    if not text:
        return ""
    s = unicodedata.normalize("NFD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("đ", "d").replace("Đ", "D")  # đ has no decomposition
    return re.sub(r"\s+", " ", s).strip().casefold()


def clean_text(text: str | None) -> str:
    """Normalise user text to NFC with single spaces, as stored."""
    if not text:
        return ""
    # NUL is dropped: PostgreSQL cannot store it in text (it answered 500 on a NUL name).
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text.replace("\x00", ""))).strip()


def clean_lines(text: str) -> str:
    """NFC text with tidy spaces, keeping the writer's line breaks (at most one blank line)."""
    text = unicodedata.normalize("NFC", text.replace("\x00", "")).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: 100 + i for i, ch in enumerate(_ALPHABET)}
# Marks that make a new letter (ă â ê ô ơ ư) versus tone marks, in Vietnamese tone order.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


# Names use a few dozen distinct characters: each is ranked once, not once per occurrence.
@lru_cache(maxsize=4096)
def _char_key(ch: str) -> tuple[int, int]:
    """Rank and tone of one lower-case character."""
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    tone = 0
    letter = base
    for m in marks:
        if m in _LETTER_MARKS:
            letter += m
        elif m in _TONES:
            tone = _TONES[m]
    letter = unicodedata.normalize("NFC", letter)
    if letter in _RANK:
        return _RANK[letter], tone
    if letter.isspace():
        return 0, 0
    if letter.isdigit():
        return 1 + int(letter) if letter in "0123456789" else 50, 0
    return 1000 + ord(letter), tone


# Area names repeat on every dashboard; people's names mostly do not, so the cache stays small
# (a few hundred KB) rather than grow with every household synced.
@lru_cache(maxsize=2048)
def vi_key(text: str | None) -> tuple:
    """Vietnamese collation key: a<ă<â, d<đ, …; tones ma<mà<mả<mã<má<mạ break ties."""
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().lower()
    keys = [_char_key(c) for c in s]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)


def vi_name_key(name: str | None) -> tuple:
    """Sort people the Vietnamese way: by given name (last word), then the whole name."""
    words = (name or "").split()
    given = words[-1] if words else ""
    return vi_key(given), vi_key(name)


def local_today() -> date:
    """Today's date in the commune."""
    return datetime.now(LOCAL_TZ).date()


def local(dt: datetime | None) -> datetime | None:
    """Convert an aware UTC datetime to commune time."""
    return None if dt is None else dt.astimezone(LOCAL_TZ)


def fmt_date(value: date | datetime | None) -> str:
    """22/04/2025."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return format_date(value, "dd/MM/yyyy")


def fmt_datetime(value: datetime | None) -> str:
    """14:05 22/04/2025 in commune time."""
    return "" if value is None else format_datetime(value, "HH:mm dd/MM/yyyy")


def fmt_number(value) -> str:
    """1.234.567 in Vietnamese: whole numbers grouped here with the locale's symbols (a
    province dashboard shows hundreds), anything else by Babel."""
    if value is None:
        return ""
    if type(value) is int:
        _decimal, _percent, minus, group = _number_symbols(str(get_locale()))
        digits = f"{abs(value):,}".replace(",", group)
        return f"{minus}{digits}" if value < 0 else digits
    return format_decimal(value)


def fmt_percent(value: float | None) -> str:
    """88,5% with one decimal: Babel's "#,##0.0%" (half-even), without its per-call cost.

    A province dashboard shows hundreds of percentages; the locale's symbols are looked up
    once per locale and the rounding is Babel's own (Decimal of the float's repr).
    """
    if value is None:
        return "–"
    tenths = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
    if abs(tenths) >= 1000:  # grouping separators: rare enough for Babel's full path
        return format_percent(value, "#,##0.0%")
    decimal_sign, percent_sign, minus, _group = _number_symbols(str(get_locale()))
    whole, frac = f"{abs(tenths):.1f}".split(".")
    return f"{minus if tenths < 0 else ''}{whole}{decimal_sign}{frac}{percent_sign}"


@lru_cache(maxsize=16)
def _number_symbols(locale: str) -> tuple[str, str, str, str]:
    """Decimal sign, percent sign, minus sign and grouping separator of a locale."""
    symbols = Locale.parse(locale).number_symbols["latn"]
    return symbols["decimal"], symbols["percentSign"], symbols["minusSign"], symbols["group"]


def init_app(app) -> None:
    """Register the formatting filters for templates."""
    app.jinja_env.filters.update(
        date=fmt_date, datetime=fmt_datetime, number=fmt_number, percent=fmt_percent
    )


# Zero-padded ranks by width, looked up rather than formatted: every household name is keyed.
_PADDED = {width: [str(n).zfill(width) for n in range(10**width)] for width in (1, 3)}


def vi_sort_string(name: str | None) -> str:
    """A digits-only key that sorts like vi_name_key under any database collation."""
    (given_p, given_t), (full_p, full_t) = vi_name_key(name)

    def digits(ranks, width):
        table = _PADDED[width]
        return "".join([table[r] if r < len(table) else table[-1] for r in ranks])

    # Same order as vi_name_key: given name's letters, its tones, then the whole name. Letter
    # ranks all start with 1, so the "0" separator sorts a shorter word first ("an" < "anh").
    key = "0".join([digits(given_p, 3), digits(given_t, 1), digits(full_p, 3), digits(full_t, 1)])
    return key[:400]
