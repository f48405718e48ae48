"""The import pages a feature adds to its blueprint: upload, preview (with the column mapping
when a needed column is not recognised), import, template. One set of views for every importer."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fieldapp.auth.access import roles_required
from fieldapp.db import get_session
from fieldapp.imports import engine, files
from fieldapp.imports.forms import UploadForm
from fieldapp.imports.reader import TableError
from fieldapp.imports.template import template_response
from fieldapp.records.validation import RecordInvalid


def _mapping() -> dict[str, int] | None:
    """The column mapping chosen by hand on the preview page, if one was posted."""
    if request.form.get("mapped") != "1":
        return None
    out = {}
    for name, value in request.form.items():
        if name.startswith("map-") and value.isdigit():
            out[name[4:]] = int(value)
    return out


def _page(importer: engine.Importer, form, *, status: int = 200, **context):
    return render_template("imports/import.html", importer=importer, form=form, statuses=engine.STATUSES,
                           template_endpoint=request.blueprint + ".import_template",
                           **context), status


def import_view(importer: engine.Importer):
    """GET: the upload form. POST a file: its preview. POST the preview back: the import."""
    form = UploadForm()
    db = get_session()
    if request.method == "GET":
        return _page(importer, form)
    token, filename = request.form.get("token", ""), request.form.get("filename", "")[:200]
    mapping = _mapping()
    if token:
        data = files.load(g.user.id, token)
        if data is None:
            form.file.errors = [_("The uploaded file is no longer kept: choose it again.")]
            return _page(importer, form, status=422)
    elif form.validate_on_submit():
        upload = request.files["file"]
        data, filename = upload.read(), (upload.filename or "")[:200]
        token = files.keep(g.user.id, data)
    else:
        return _page(importer, form, status=422)
    try:
        if request.form.get("action") == "import":
            result = engine.run(importer, session=db, user=g.user, area=g.user_area, filename=filename,
                                data=data, mapping=mapping)
            files.drop(g.user.id, token)
            flash(_("Imported: %(new)s added, %(changed)s updated, %(same)s already there, %(bad)s rejected.",
                    new=result.counts[engine.NEW], changed=result.counts[engine.CHANGED],
                    same=result.counts[engine.SAME], bad=result.counts[engine.REJECTED]), "info")
            return redirect(url_for("imports.log", show=result.log.id))
        result = engine.preview(importer, session=db, area=g.user_area, filename=filename, data=data,
                                mapping=mapping)
    except (TableError, RecordInvalid) as err:
        db.rollback()
        files.drop(g.user.id, token)
        message = str(err) if isinstance(err, TableError) else " ".join(
            m for msgs in err.errors.values() for m in msgs)
        form.file.errors = [message]
        return _page(importer, form, status=422)
    return _page(importer, form, result=result, token=token, filename=filename, mapped=mapping is not None)


def add_import_routes(bp, importer: engine.Importer, *, roles: tuple, template_name: str) -> None:
    """/import and /import/template.xlsx on the feature's blueprint, for these roles."""
    view = roles_required(*roles)(lambda: import_view(importer))
    view.__doc__ = f"Import {importer.kind} from the office's XLSX or CSV file, after a preview."
    bp.add_url_rule("/import", "import_file", view, methods=["GET", "POST"])
    template = roles_required(*roles)(lambda: template_response(importer, template_name))
    bp.add_url_rule("/import/template.xlsx", "import_template", template)
