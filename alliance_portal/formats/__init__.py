"""Formats that differ from Django's for the portal's languages (FORMAT_MODULE_PATH).

Each module overrides only what it names; everything else is Django's own for the language.
"""
