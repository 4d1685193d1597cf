"""The profile's mapping tables and templates, as data with their checks."""
