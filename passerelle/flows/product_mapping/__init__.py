"""Pure rules turning back-office items into shop products (C2–C20).

No I/O here: the export flow gathers the facts (shop ids, quantities, media)
and these modules decide what each shop product should hold, so the rules
are tested without a shop or a back-office.
"""
