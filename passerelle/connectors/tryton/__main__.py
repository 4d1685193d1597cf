"""``python -m passerelle.connectors.tryton build|copy``: the demo database by hand."""

from passerelle.connectors.tryton.demo import main

main()
