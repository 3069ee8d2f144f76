"""Shared vocabularies: ISCED-F 2013 fields of study, ISCED 2011 levels, ISO 639-1 languages."""

import functools

from babel import Locale
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

# ISCED-F 2013: broad (2 digits), narrow (3) and detailed (4) fields of education and training.
ISCED_F_FIELDS = {
    "00": _("Generic programmes and qualifications"),
    "001": _("Basic programmes and qualifications"),
    "0011": _("Basic programmes and qualifications"),
    "002": _("Literacy and numeracy"),
    "0021": _("Literacy and numeracy"),
    "003": _("Personal skills and development"),
    "0031": _("Personal skills and development"),
    "01": _("Education"),
    "011": _("Education"),
    "0111": _("Education science"),
    "0112": _("Training for pre-school teachers"),
    "0113": _("Teacher training without subject specialisation"),
    "0114": _("Teacher training with subject specialisation"),
    "02": _("Arts and humanities"),
    "021": _("Arts"),
    "0211": _("Audio-visual techniques and media production"),
    "0212": _("Fashion, interior and industrial design"),
    "0213": _("Fine arts"),
    "0214": _("Handicrafts"),
    "0215": _("Music and performing arts"),
    "022": _("Humanities (except languages)"),
    "0221": _("Religion and theology"),
    "0222": _("History and archaeology"),
    "0223": _("Philosophy and ethics"),
    "023": _("Languages"),
    "0231": _("Language acquisition"),
    "0232": _("Literature and linguistics"),
    "03": _("Social sciences, journalism and information"),
    "031": _("Social and behavioural sciences"),
    "0311": _("Economics"),
    "0312": _("Political sciences and civics"),
    "0313": _("Psychology"),
    "0314": _("Sociology and cultural studies"),
    "032": _("Journalism and information"),
    "0321": _("Journalism and reporting"),
    "0322": _("Library, information and archival studies"),
    "04": _("Business, administration and law"),
    "041": _("Business and administration"),
    "0411": _("Accounting and taxation"),
    "0412": _("Finance, banking and insurance"),
    "0413": _("Management and administration"),
    "0414": _("Marketing and advertising"),
    "0415": _("Secretarial and office work"),
    "0416": _("Wholesale and retail sales"),
    "0417": _("Work skills"),
    "042": _("Law"),
    "0421": _("Law"),
    "05": _("Natural sciences, mathematics and statistics"),
    "051": _("Biological and related sciences"),
    "0511": _("Biology"),
    "0512": _("Biochemistry"),
    "052": _("Environment"),
    "0521": _("Environmental sciences"),
    "0522": _("Natural environments and wildlife"),
    "053": _("Physical sciences"),
    "0531": _("Chemistry"),
    "0532": _("Earth sciences"),
    "0533": _("Physics"),
    "054": _("Mathematics and statistics"),
    "0541": _("Mathematics"),
    "0542": _("Statistics"),
    "06": _("Information and communication technologies"),
    "061": _("Information and communication technologies"),
    "0611": _("Computer use"),
    "0612": _("Database and network design and administration"),
    "0613": _("Software and applications development and analysis"),
    "07": _("Engineering, manufacturing and construction"),
    "071": _("Engineering and engineering trades"),
    "0711": _("Chemical engineering and processes"),
    "0712": _("Environmental protection technology"),
    "0713": _("Electricity and energy"),
    "0714": _("Electronics and automation"),
    "0715": _("Mechanics and metal trades"),
    "0716": _("Motor vehicles, ships and aircraft"),
    "072": _("Manufacturing and processing"),
    "0721": _("Food processing"),
    "0722": _("Materials (glass, paper, plastic and wood)"),
    "0723": _("Textiles (clothes, footwear and leather)"),
    "0724": _("Mining and extraction"),
    "073": _("Architecture and construction"),
    "0731": _("Architecture and town planning"),
    "0732": _("Building and civil engineering"),
    "08": _("Agriculture, forestry, fisheries and veterinary"),
    "081": _("Agriculture"),
    "0811": _("Crop and livestock production"),
    "0812": _("Horticulture"),
    "082": _("Forestry"),
    "0821": _("Forestry"),
    "083": _("Fisheries"),
    "0831": _("Fisheries"),
    "084": _("Veterinary"),
    "0841": _("Veterinary"),
    "09": _("Health and welfare"),
    "091": _("Health"),
    "0911": _("Dental studies"),
    "0912": _("Medicine"),
    "0913": _("Nursing and midwifery"),
    "0914": _("Medical diagnostic and treatment technology"),
    "0915": _("Therapy and rehabilitation"),
    "0916": _("Pharmacy"),
    "0917": _("Traditional and complementary medicine and therapy"),
    "092": _("Welfare"),
    "0921": _("Care of the elderly and of disabled adults"),
    "0922": _("Child care and youth services"),
    "0923": _("Social work and counselling"),
    "10": _("Services"),
    "101": _("Personal services"),
    "1011": _("Domestic services"),
    "1012": _("Hair and beauty services"),
    "1013": _("Hotel, restaurants and catering"),
    "1014": _("Sports"),
    "1015": _("Travel, tourism and leisure"),
    "102": _("Hygiene and occupational health services"),
    "1021": _("Community sanitation"),
    "1022": _("Occupational health and safety"),
    "103": _("Security services"),
    "1031": _("Military and defence"),
    "1032": _("Protection of persons and property"),
    "104": _("Transport services"),
    "1041": _("Transport services"),
}


def isced_f_label(code):
    """The translated name of an ISCED-F code, or the code itself when unknown."""
    return ISCED_F_FIELDS.get(code, code)


class StudyLevel(models.TextChoices):
    """ISCED 2011 tertiary levels, non-degree training, and "not reported" for national totals."""

    SHORT_CYCLE = "5", _("ISCED 5 · short-cycle tertiary")
    BACHELOR = "6", _("ISCED 6 · bachelor's or equivalent")
    MASTER = "7", _("ISCED 7 · master's or equivalent")
    DOCTORAL = "8", _("ISCED 8 · doctoral or equivalent")
    NON_DEGREE = "non-degree", _("Non-degree training")
    UNSPECIFIED = "unspecified", _("All levels (not reported)")


# ISO 639-1 language codes, for programmes' languages of instruction.
ISO_639_1 = (
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho "
    "hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku "
    "kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn "
    "no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm "
    "sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi "
    "vo wa wo xh yi yo za zh zu"
).split()


def language_name(code):
    """The language an ISO 639-1 code names, in the reader's language ("Chinese", "中文",
    "китайский"), from CLDR; the code itself when CLDR has no name for it."""
    return _language_names(get_language() or settings.LANGUAGE_CODE).get(code, code)


def language_choices():
    """Every ISO 639-1 language as (code, "Name (code)"), by name in the reader's language."""
    return _language_choices(get_language() or settings.LANGUAGE_CODE)


@functools.cache
def _language_names(language):
    names = Locale.parse(to_locale(language)).languages
    return {code: names[code] for code in ISO_639_1 if code in names}


@functools.cache
def _language_choices(language):
    names = _language_names(language)
    named = [(code, capfirst(names.get(code, code))) for code in ISO_639_1]
    return tuple((code, f"{name} ({code})") for code, name in sorted(named, key=lambda c: c[1]))


class CefrLevel(models.TextChoices):
    """Common European Framework of Reference levels of language ability."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


# The ISCED levels a cooperation condition may name, in order.
DEGREE_LEVELS = ("5", "6", "7", "8")
