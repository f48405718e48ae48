"""Fill Vietnamese msgstr values from a UTF-8 TSV (msgid<TAB>msgstr), keeping the rest.

Usage: python translations/fill.py vi new-strings.tsv   (then `make translations`)
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

here = Path(__file__).parent
locale, tsv = sys.argv[1], Path(sys.argv[2])
po_path = here / locale / "LC_MESSAGES" / "messages.po"
with po_path.open("rb") as fh:
    catalog = read_po(fh, locale=locale)
pairs = [ln.split("\t", 1) for ln in tsv.read_text(encoding="utf-8").splitlines() if "\t" in ln]
filled = 0
for msgid, msgstr in pairs:
    msgid = msgid.replace("\\n", "\n")
    message = catalog.get(msgid)
    if message is None:
        print(f"not in catalog (run make translations first): {msgid!r}", file=sys.stderr)
        continue
    text = msgstr.replace("\\n", "\n")
    # Plural messages: Vietnamese has one plural form, the same text for every count.
    message.string = (text,) * catalog.num_plurals if message.pluralizable else text
    message.flags.discard("fuzzy")
    filled += 1
with po_path.open("wb") as fh:
    write_po(fh, catalog, width=100, no_location=True, sort_output=True)
print(f"{filled} messages filled in {po_path}")
