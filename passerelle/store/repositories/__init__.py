"""The store's repositories, one concern each, behind :class:`~passerelle.store.Store`.

Each takes the store's :class:`~passerelle.store.transactions.Transactions`
and returns frozen records (``records.py``), never ORM objects. Callers use
the :class:`~passerelle.store.Store` methods, which forward to these.
"""
