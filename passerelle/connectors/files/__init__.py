"""The file back-office: a back-office reached through its import and export files.

Desktop back-offices (Sage 50c / Ciel, Sage 100c, EBP) and spreadsheets have no
API; they export items, prices, stock and customers as CSV or XLSX and import
sales documents from a text, CSV or XML file in a layout the user defines.
This package reads the first and writes the second, with the guarantees of the
other back-offices: an order becomes exactly one file, a malformed line is that
line's error and the others go on.

- ``transport``: where the files are (a local folder, FTP, SFTP), written atomically.
- ``tables`` / ``columns`` / ``catalogue``: exported files → canonical records.
- ``outbox``: a sale → one file in the profile's layout, found again by its order key.
- ``connector``: the ``BackOffice`` protocol over those parts.
"""
