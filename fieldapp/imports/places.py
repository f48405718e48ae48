"""Thôn named in a file: case, diacritics, punctuation and a leading "thôn"/"tổ" ignored."""

from flask_babel import gettext as _
from sqlmodel import Session

from fieldapp.areas.models import THON, Area
from fieldapp.areas.services import subtree
from fieldapp.imports.engine import RowError
from fieldapp.imports.headers import folded_header

PREFIXES = ("thon ", "to dan pho ", "to ", "xom ", "ap ", "khu pho ", "ban ", "lang ")


def place_key(text: str) -> str:
    """'Thôn Phước Lộc Đông' and 'phuoc loc dong' alike."""
    key = folded_header(text)
    for prefix in PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return key


def thon_index(session: Session, area: Area) -> dict[str, Area | None]:
    """The thôn under area by place_key; None where two thôn share a key (two communes)."""
    index: dict[str, Area | None] = {}
    for thon in subtree(session, area, THON):
        key = place_key(thon.name)
        index[key] = None if key in index else thon
    return index


def find_thon(index: dict[str, Area | None], text: str) -> Area:
    """The thôn a cell names (RowError when there is none or several)."""
    key = place_key(text)
    if not key:
        raise RowError(_("The thôn is empty."))
    if key not in index:
        raise RowError(_("No thôn named “%(name)s” in your area.", name=text))
    if index[key] is None:
        raise RowError(_("Several thôn are named “%(name)s”: import each commune's file from its "
                         "own account.", name=text))
    return index[key]
