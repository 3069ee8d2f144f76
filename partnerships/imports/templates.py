"""Template files for each kind of import: the header row and one example, as CSV and XLSX.

Both formats are written from the kinds' column lists, so a template names exactly the
columns the import reads. `manage.py write_import_templates` writes them into
`static/imports/templates/`, where the upload page and docs/import.md link to them.
"""

import csv
import io

from partnerships.imports.service import KINDS

# One example record per kind, in the order a full load follows. Loaded one after the
# other into a registry holding the institution `spbpu` (RU), each creates one record. An
# agreement takes one row per party, so its example has two rows.
EXAMPLES = {
    "institutions": [
        {
            "name": "Xi'an Jiaotong University",
            "slug": "xjtu",
            "short_name": "XJTU",
            "native_name": "西安交通大学",
            "kind": "university",
            "country": "CN",
            "city": "Xi'an",
            "website": "https://www.xjtu.edu.cn/",
            "ror_id": "https://ror.org/017zhmm22",
            "founded_year": "1896",
            "description": "Founder of the University Alliance of the New Silk Road.",
        }
    ],
    "units": [
        {"institution": "xjtu", "name": "School of Electrical Engineering", "kind": "school"}
    ],
    "alliances": [
        {
            "name": "University Alliance of the New Silk Road",
            "slug": "uasr",
            "acronym": "UASR",
            "founded_on": "2015-05-22",
            "headquarters": "xjtu",
            "cooperation_model": "university_university",
            "focus_areas": "Personnel training",
            "description": "Non-governmental and non-profit alliance of universities.",
        }
    ],
    "events": [
        {
            "name": "2023 China-ASEAN Education Cooperation Week",
            "slug": "china-asean-education-cooperation-week-2023",
            "kind": "education_week",
            "starts_on": "2023-08-28",
            "ends_on": "2023-09-02",
            "city": "Gui'an New Area",
            "country": "CN",
        }
    ],
    "memberships": [
        {"alliance": "uasr", "institution": "spbpu", "role": "member", "joined_on": "2015-05-22"}
    ],
    "agreements": [
        {
            "reference": "XJTU-SPBPU-2024-01",
            "title": "Agreement on joint training",
            "kind": "memorandum_of_cooperation",
            "alliance": "uasr",
            "signed_on": "2024-03-01",
            "effective_from": "2024-03-01",
            "expires_on": "2029-02-28",
            "auto_renews": "no",
            "notice_days": "180",
            "subject_areas": "0413,0714",
            "visibility": "public",
            "party_institution": "xjtu",
            "party_role": "party",
            "signatory_name": "Wang Shuguo",
            "signatory_title": "President",
        },
        {
            "reference": "XJTU-SPBPU-2024-01",
            "party_institution": "spbpu",
            "party_role": "party",
            "signatory_name": "Andrey Rudskoy",
            "signatory_title": "Rector",
        },
    ],
    "conditions": [
        {
            "agreement": "XJTU-SPBPU-2024-01",
            "sending_institution": "xjtu",
            "sending_unit": "School of Electrical Engineering",
            "receiving_institution": "spbpu",
            "mobility_type": "student_studies",
            "field": "0714",
            "levels": "6,7",
            "first_academic_year": "2024/25",
            "last_academic_year": "2028/29",
            "places": "4",
            "months_per_year": "10",
            "language": "ru",
            "language_level": "B2",
        }
    ],
    "programmes": [
        {
            "name": "Double master's in electrical engineering",
            "slug": "xjtu-spbpu-double-masters",
            "kind": "double_degree",
            "level": "7",
            "field": "0713",
            "lead": "xjtu",
            "partners": "spbpu:co_provider",
            "agreement": "XJTU-SPBPU-2024-01",
            "alliance": "uasr",
            "languages": "zh,ru,en",
            "starts_on": "2024-09-01",
            "annual_capacity": "30",
            "dual_tutor": "no",
        }
    ],
    "flows": [
        {
            "academic_year": "2024/25",
            "origin_country": "CN",
            "destination_country": "RU",
            "origin_institution": "xjtu",
            "destination_institution": "spbpu",
            "level": "7",
            "mobility_type": "credit",
            "students": "4",
            "source": "International office report 2024",
            "programme": "xjtu-spbpu-double-masters",
            "agreement": "XJTU-SPBPU-2024-01",
        }
    ],
}


def template_rows(kind):
    """The header and the example rows of `kind`, every cell as text."""
    columns = KINDS[kind].columns
    return [list(columns)] + [
        [example.get(column, "") for column in columns] for example in EXAMPLES[kind]
    ]


def csv_template(kind):
    """The CSV template as text (UTF-8 when written; no byte-order mark)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(template_rows(kind))
    return buffer.getvalue()


def xlsx_template(kind):
    """The XLSX template as bytes: one sheet, the header in bold, every cell typed as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    for row in template_rows(kind):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column_cells in sheet.iter_cols():
        # Text format keeps codes such as the ISCED-F field 0713 from losing their zero.
        for cell in column_cells:
            cell.number_format = "@"
        longest = max(len(str(cell.value or "")) for cell in column_cells)
        sheet.column_dimensions[column_cells[0].column_letter].width = min(max(longest, 8), 60) + 2
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
