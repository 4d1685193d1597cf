"""The ``passerelle`` command line.

Its language is set here, from the terminal (``PASSERELLE_LANG``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``), before any command module is imported: Typer
takes help texts when commands are declared (see :mod:`passerelle.cli.language`).
"""

from passerelle.cli.language import start

start()
