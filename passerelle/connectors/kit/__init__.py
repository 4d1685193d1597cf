"""What every HTTP shop connector shares.

``base`` holds the plumbing of a connector over one :class:`RetryingClient`
(identity, request count, retry listener, close); ``paging`` the ways the
platforms split a list into pages. A platform's package keeps only its own
wire client, endpoints and translations.
"""
