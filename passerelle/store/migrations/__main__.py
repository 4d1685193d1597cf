"""Developer entry point, e.g.::

    python -m passerelle.store.migrations revision --autogenerate --rev-id 0002 -m "…"

Compares the models with a scratch SQLite database upgraded to head, so no
``alembic.ini`` is needed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic.config import CommandLine

from passerelle.store.engine import make_engine, sqlite_url
from passerelle.store.migrate import alembic_config, upgrade


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = sqlite_url(Path(scratch))
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        cli = CommandLine(prog="python -m passerelle.store.migrations")
        options = cli.parser.parse_args(argv)
        config = alembic_config()
        config.set_main_option("sqlalchemy.url", url)
        cli.run_cmd(config, options)


if __name__ == "__main__":
    main(sys.argv[1:])
