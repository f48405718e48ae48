"""The downloadable XLSX template of an importer: its headers and one example row."""

import io

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from fieldapp.imports.engine import Importer


def template_response(importer: Importer, filename: str) -> Response:
    """An XLSX file with the importer's column labels and its example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(importer.label)[:31]
    ws.append([str(c.label) for c in importer.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(list(importer.example))  # plain values: no example starts with = (a formula)
    for i, col in enumerate(importer.columns):
        ws.column_dimensions[ws.cell(1, i + 1).column_letter].width = max(12, len(str(col.label)) + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return Response(buf.getvalue(), headers={"Content-Disposition": f"attachment; filename={filename}"},
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
