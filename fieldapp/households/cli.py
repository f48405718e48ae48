"""`flask households import FILE --commune CODE [--dry-run]`."""

import click

from fieldapp.households.imports import HOUSEHOLDS
from fieldapp.imports.cli import import_command


@click.group("households")
def households():
    """Households."""


households.add_command(import_command(HOUSEHOLDS))
