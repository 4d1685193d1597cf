"""passerelle: links a merchant's back-office to their sales channels."""

__version__ = "0.1.0"
