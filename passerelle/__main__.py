"""``python -m passerelle`` is the ``passerelle`` command."""

from passerelle.cli.main import app

app(prog_name="passerelle")
