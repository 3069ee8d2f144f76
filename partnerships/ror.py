"""Read a ROR data dump (schema v2) and bring institutions' identity up to date from it.

The dump is the JSON list ROR publishes, or the zip it ships in. Every record is checked
before anything is written: one bad record stops the import with a message that names
it, and nothing changes. Institutions are linked by ROR ID; their names, country, city,
website and founding year are filled from the record, and so are `parent` and
`successor` where the related organisation is in the registry too.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from partnerships.models import Institution
from partnerships.validators import validate_ror_id

# ROR organisation types → the registry's kinds, in order of preference.
KINDS = [
    ("education", Institution.Kind.UNIVERSITY),
    ("facility", Institution.Kind.RESEARCH_INSTITUTE),
    ("healthcare", Institution.Kind.RESEARCH_INSTITUTE),
    ("government", Institution.Kind.GOVERNMENT_BODY),
    ("company", Institution.Kind.ENTERPRISE),
    ("funder", Institution.Kind.ASSOCIATION),
    ("nonprofit", Institution.Kind.NETWORK),
    ("archive", Institution.Kind.RESEARCH_INSTITUTE),
    ("other", Institution.Kind.ASSOCIATION),
]
COUNTRY_CODES = {code for code, _name in countries}


class RorDumpError(Exception):
    """The dump cannot be imported; the message names the record at fault."""


@dataclass
class RorRecord:
    ror_id: str
    name: str
    acronym: str
    country: str
    city: str
    website: str
    founded_year: int | None
    kind: str
    parent: str | None
    successor: str | None


@dataclass
class ImportReport:
    records: int = 0
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0


def read_dump(path):
    """The list of raw records in a dump file (.json, or the .zip ROR ships)."""
    try:
        if zipfile.is_zipfile(path):
            return json.loads(_json_from_zip(path))
        with open(path, encoding="utf-8") as dump:
            return json.load(dump)
    except json.JSONDecodeError as error:
        raise RorDumpError(f"The dump is not valid JSON: {error}.") from None
    except UnicodeDecodeError:
        raise RorDumpError("The dump is not UTF-8 text.") from None


def _json_from_zip(path):
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name.endswith(".json")]
        # Dumps of the transition period hold a v1 and a v2 file; take the v2 one.
        v2 = [name for name in names if "schema_v2" in name]
        chosen = v2 or names
        if len(chosen) != 1:
            raise RorDumpError(f"Expected one JSON file in the zip, found {len(chosen)}.")
        return io.TextIOWrapper(archive.open(chosen[0]), encoding="utf-8").read()


def parse_records(raw):
    """Check every record against schema v2 and return them as `RorRecord`s."""
    if not isinstance(raw, list):
        raise RorDumpError("A ROR dump is a JSON list of organisation records.")
    return [_parse(position, item) for position, item in enumerate(raw, start=1)]


def _parse(position, item):
    label = f"record {position}"
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        label += f" ({item['id']})"

    def fail(problem):
        raise RorDumpError(f"{label}: {problem}; nothing was imported.")

    if not isinstance(item, dict):
        fail("not a JSON object")
    version = (item.get("admin") or {}).get("last_modified", {}).get("schema_version")
    if not isinstance(version, str) or not version.startswith("2."):
        fail(f"not ROR schema v2 (schema_version {version!r})")
    ror_id = item.get("id")
    try:
        validate_ror_id(ror_id if isinstance(ror_id, str) else "")
    except ValidationError:
        fail("the id is not a valid ROR ID")
    names = item.get("names")
    if not isinstance(names, list) or not all(isinstance(name, dict) for name in names):
        fail("'names' is not a list of names")
    display = [n.get("value") for n in names if "ror_display" in (n.get("types") or [])]
    if len(display) != 1 or not isinstance(display[0], str) or not display[0].strip():
        fail("it needs exactly one name of type ror_display")
    locations = item.get("locations")
    if not isinstance(locations, list) or not locations:
        fail("'locations' is missing")
    details = (locations[0] or {}).get("geonames_details") or {}
    country = details.get("country_code")
    if country not in COUNTRY_CODES:
        fail(f"unknown country code {country!r}")
    relationships = item.get("relationships") or []
    if not isinstance(relationships, list):
        fail("'relationships' is not a list")
    acronyms = [n.get("value") for n in names if "acronym" in (n.get("types") or [])]
    websites = [
        link.get("value") for link in item.get("links") or [] if link.get("type") == "website"
    ]
    established = item.get("established")
    if established is not None and not isinstance(established, int):
        fail("'established' is not a year")
    types = item.get("types") or []
    return RorRecord(
        ror_id=ror_id,
        name=display[0].strip()[:200],
        acronym=(acronyms[0] or "")[:40] if acronyms else "",
        country=country,
        city=(details.get("name") or "")[:100],
        website=(websites[0] or "")[:200] if websites else "",
        founded_year=established if established and 800 <= established <= 2100 else None,
        kind=next((kind for ror_type, kind in KINDS if ror_type in types), KINDS[-1][1]),
        parent=_related(relationships, "parent"),
        successor=_related(relationships, "successor"),
    )


def _related(relationships, kind):
    ids = [
        rel.get("id") for rel in relationships if isinstance(rel, dict) and rel.get("type") == kind
    ]
    return ids[0] if ids else None


def import_records(records, *, create=False, progress=None):
    """Update (and with `create`, add) institutions from `records`, all or nothing."""
    report = ImportReport(records=len(records))
    with transaction.atomic():
        by_ror = {i.ror_id: i for i in Institution.objects.exclude(ror_id="")}
        touched = {}
        for position, record in enumerate(records, start=1):
            institution = by_ror.get(record.ror_id)
            if institution is None and not create:
                report.skipped += 1
            else:
                touched[record.ror_id] = _apply(record, institution, report)
                by_ror[record.ror_id] = touched[record.ror_id]
            if progress:
                progress(position, len(records))
        for record in records:
            if record.ror_id in touched:
                _link(record, touched[record.ror_id], by_ror, report)
    return report


def _apply(record, institution, report):
    values = {
        "name": record.name,
        "country": record.country,
        "city": record.city,
        "website": record.website,
    }
    if record.acronym:
        values["short_name"] = record.acronym
    if record.founded_year:
        values["founded_year"] = record.founded_year
    if institution is None:
        institution = Institution(
            ror_id=record.ror_id, slug=_free_slug(record.name), kind=record.kind, **values
        )
        _save(institution, record)
        report.created.append(institution)
        return institution
    changed = [
        name for name, value in values.items() if str(getattr(institution, name)) != str(value)
    ]
    if not changed:
        report.unchanged += 1
        return institution
    for name in changed:
        setattr(institution, name, values[name])
    _save(institution, record)
    report.updated.append(institution)
    return institution


def _link(record, institution, by_ror, report):
    changed = False
    for link in ("parent", "successor"):
        target = by_ror.get(getattr(record, link))
        if target is not None and getattr(institution, f"{link}_id") != target.pk:
            setattr(institution, link, target)
            changed = True
    if changed:
        _save(institution, record)
        if institution not in report.created and institution not in report.updated:
            report.updated.append(institution)
            report.unchanged -= 1


def _save(institution, record):
    try:
        institution.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise RorDumpError(f"{record.ror_id}: {problems}; nothing was imported.") from None
    institution._change_reason = "Imported from ROR"
    institution.save()


def _free_slug(name):
    base = slugify(name)[:190] or "institution"
    slug, number = base, 1
    while Institution.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
