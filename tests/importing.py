"""Helpers for the import and export tests: files from text, and one call into the service."""

import io
from itertools import islice, product

from partnerships.imports.service import run_import


def table(*lines, delimiter=","):
    """CSV text from rows given as lists of cells (or ready-made strings)."""
    return (
        "\n".join(
            line if isinstance(line, str) else delimiter.join(str(cell) for cell in line)
            for line in lines
        )
        + "\n"
    )


def load(kind, content, *, filename=None, by=None, **options):
    """Run the import service on `content` (text is encoded as UTF-8)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    filename = filename or f"{kind}.csv"
    return run_import(kind=kind, file=io.BytesIO(data), filename=filename, by=by, **options)


def problems(report):
    return [(error.row, error.column, error.message) for error in report.errors]


FLOW_HEADER = (
    "academic_year,origin_country,destination_country,origin_institution,"
    "destination_institution,level,mobility_type,students,source"
)


def distinct_flow_rows(count, *, origin="KZ"):
    """`count` good flow rows from `origin`, no two with the same dimensions, every year begun."""
    dimensions = product(
        range(1950, 2025),
        ["CN", "RU"],
        ["5", "6", "7", "8", "non-degree", "unspecified"],
        ["degree", "credit", "training", "staff"],
    )
    return [
        f"{year},{origin},{destination},,,{level},{mobility},{number},MoE"
        for number, (year, destination, level, mobility) in enumerate(
            islice(dimensions, count), start=1
        )
    ]
