"""The web console: what a merchant sees every morning, served by ``passerelle serve``.

An interface like the CLI: it reads the store and asks the runner to act, and
holds no business rule of its own.
"""
