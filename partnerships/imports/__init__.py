"""Bulk import and export of the registry's tables (see docs/import.md).

One service (`run_import`) serves the three doors: `manage.py import_data`, the upload
page at /imports/ and `POST /api/v1/imports/`.
"""
