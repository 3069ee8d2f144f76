"""Generated agreements: every kind, state and visibility, with renewals and terminations.

Fixed dates lie in the past, so expired and terminated agreements stay so. Agreements
still running expire relative to today ("soon": inside the 180-day notice window;
"later": beyond it), drawn from a generator seeded by the reference, so a given day
always yields the same dates.
"""

import datetime
import random

from partnerships.demo.people import signatory_for
from partnerships.demo.store import upsert_agreement
from partnerships.models import Agreement, AgreementParty

K = Agreement.Kind
PUBLIC, MEMBERS, PARTIES = Agreement.Visibility
SOON, LATER = "soon", "later"
UASR, ASRTU, TALENT = "uasr", "asrtu", "belt-and-road-talent-alliance"

# reference, kind, title, parties (the first coordinates when more than two sign),
# ISCED-F fields, signed on, expires on (a date, SOON, LATER or None: open-ended),
# visibility, alliance
AGREEMENTS = [
    ("XJTU-KAZNU-2016-MOU-01", K.MOU, "Memorandum of understanding on academic cooperation",
     ["xjtu", "kaznu"], ["0713"], "2016-05-20", "2021-05-19", PUBLIC, UASR),
    ("XJTU-KAZNU-2021-MOU-02", K.MOU, "Memorandum of understanding on academic cooperation",
     ["xjtu", "kaznu"], ["0713", "0714"], "2021-05-10", LATER, PUBLIC, UASR),
    ("XJTU-KAZNU-2019-DD-01", K.DOUBLE_DEGREE, "Double master's degree in electrical engineering",
     ["xjtu", "kaznu"], ["0713"], "2019-03-15", SOON, MEMBERS, UASR),
    ("XJTU-ENU-2017-SE-01", K.STUDENT_EXCHANGE, "Student exchange agreement",
     ["xjtu", "enu"], ["0413", "0311"], "2017-09-01", "2022-08-31", PUBLIC, UASR),
    ("XJTU-ENU-2022-SE-02", K.STUDENT_EXCHANGE, "Student exchange agreement",
     ["xjtu", "enu"], ["0413", "0311"], "2022-08-15", LATER, PUBLIC, UASR),
    ("XJTU-NUUZ-2018-SE-01", K.STUDENT_EXCHANGE, "Exchange of language students",
     ["xjtu", "nuuz"], ["0231"], "2018-04-10", SOON, PUBLIC, UASR),
    ("XJTU-TPU-2016-RES-01", K.RESEARCH, "Research cooperation in nuclear and power engineering",
     ["xjtu", "tpu"], ["0713", "0533"], "2016-10-12", "2021-10-11", PARTIES, None),
    ("XJTU-UASR-2019-REC-01", K.RECOGNITION, "Mutual recognition of credits among members",
     ["xjtu", "kaznu", "nuuz", "tpu", "bsu"], ["0413"], "2019-05-24", None, MEMBERS, UASR),
    ("XJTU-CU-2017-MOU-01", K.MOU, "Memorandum of understanding on medical education",
     ["xjtu", "chulalongkorn"], ["0912"], "2017-06-14", "2022-06-13", PUBLIC, UASR),
    ("XJTU-UM-2020-JD-01", K.JOINT_DEGREE, "Joint doctoral programme in biomedical engineering",
     ["xjtu", "universiti-malaya"], ["0914"], "2020-11-05", LATER, MEMBERS, UASR),
    ("XJTU-SXED-2016-FW-01", K.FRAMEWORK, "Framework agreement on Silk Road scholarships",
     ["xjtu", "shaanxi-education-department"], ["0413"], "2016-09-01", None, PUBLIC, None),
    ("XJTU-CAIRO-2018-MOU-01", K.MOU, "Memorandum of understanding on health sciences",
     ["xjtu", "cairo-university"], ["0912"], "2018-10-22", "2023-10-21", PUBLIC, UASR),
    ("XJTU-PU-2019-SE-01", K.STUDENT_EXCHANGE, "Student exchange in computing",
     ["xjtu", "university-of-the-punjab"], ["0612", "0613"], "2019-12-02", "2024-12-01",
     PUBLIC, UASR),
    ("XJTU-NUOL-2025-SE-01", K.STUDENT_EXCHANGE, "Student exchange agreement",
     ["xjtu", "nuol"], ["0231"], None, None, PARTIES, None),
    ("XJTU-UB-2018-MOU-01", K.MOU, "Memorandum of understanding on civil engineering",
     ["xjtu", "university-of-belgrade"], ["0732"], "2018-09-12", None, MEMBERS, UASR),
    ("XJTU-TSU-2025-SE-01", K.STUDENT_EXCHANGE, "Student exchange agreement",
     ["xjtu", "tbilisi-state-university"], ["0231"], None, None, MEMBERS, UASR),
    ("HIT-BMSTU-2015-DD-01", K.DOUBLE_DEGREE, "Double master's degree in aerospace engineering",
     ["hit", "bmstu"], ["0716"], "2015-11-20", "2020-11-19", PUBLIC, ASRTU),
    ("HIT-BMSTU-2020-DD-02", K.DOUBLE_DEGREE, "Double master's degree in aerospace engineering",
     ["hit", "bmstu"], ["0716"], "2020-11-10", LATER, PUBLIC, ASRTU),
    ("HIT-TPU-2018-SE-01", K.STUDENT_EXCHANGE, "Student exchange in automation",
     ["hit", "tpu"], ["0714"], "2018-06-20", SOON, MEMBERS, ASRTU),
    ("HIT-SPBPU-2019-RES-01", K.RESEARCH, "Joint laboratory for advanced materials",
     ["hit", "spbpu"], ["0722"], "2019-09-09", LATER, PARTIES, ASRTU),
    ("HIT-URFU-2017-MOU-01", K.MOU, "Memorandum of understanding on engineering education",
     ["hit", "urfu"], ["0715"], "2017-04-25", "2022-04-24", PUBLIC, ASRTU),
    ("HIT-ASRTU-2021-REC-01", K.RECOGNITION, "Recognition of credits between member universities",
     ["hit", "bmstu", "tpu", "spbpu", "urfu"], ["0714", "0716"], "2021-09-17", None, MEMBERS,
     ASRTU),
    ("HIT-NSU-2025-RES-01", K.RESEARCH, "Research cooperation in computational physics",
     ["hit", "nsu"], ["0533"], None, None, PARTIES, ASRTU),
    ("HIT-NUST-2020-JD-01", K.JOINT_DEGREE, "Joint doctoral training in control engineering",
     ["hit", "nust"], ["0714"], "2020-12-14", LATER, PUBLIC, None),
    ("HITWH-FEFU-2018-JD-01", K.JOINT_DEGREE, "Joint bachelor's programme in marine engineering",
     ["hit-weihai", "fefu"], ["0716"], "2018-09-03", "2023-09-02", PUBLIC, ASRTU),
    ("HITWH-WOE-2021-TR-01", K.TRAINING, "Order-based training in marine equipment",
     ["hit-weihai", "weihai-ocean-engineering"], ["0716"], "2021-03-18", LATER, PARTIES, None),
    ("CUPB-SATBAYEV-2016-TR-01", K.TRAINING, "Customized training for petroleum engineers",
     ["cup-beijing", "satbayev-university", "caspian-oilfield-services"], ["0724"],
     "2016-07-05", "2021-07-04", PARTIES, None),
    ("CUPB-SATBAYEV-2021-TR-02", K.TRAINING, "Customized training for petroleum engineers",
     ["cup-beijing", "satbayev-university", "caspian-oilfield-services"], ["0724"],
     "2021-06-28", SOON, PARTIES, None),
    ("CUPB-KBTU-2019-MOU-01", K.MOU, "Memorandum of understanding on geosciences",
     ["cup-beijing", "kbtu"], ["0724", "0532"], "2019-10-14", LATER, PUBLIC, None),
    ("CUPB-MUST-2025-MOU-01", K.MOU, "Memorandum of understanding on mining engineering",
     ["cup-beijing", "must"], ["0724"], None, None, PUBLIC, None),
    ("BUCT-KSU-2018-RES-01", K.RESEARCH, "Research cooperation in petrochemical engineering",
     ["buct", "ksu"], ["0711"], "2018-02-26", "2023-02-25", PUBLIC, None),
    ("BUCT-KU-2019-MOU-01", K.MOU, "Memorandum of understanding on chemical engineering",
     ["buct", "khalifa-university"], ["0711", "0531"], "2019-11-18", LATER, PUBLIC, None),
    ("BUCT-SUT-2017-SE-01", K.STUDENT_EXCHANGE, "Student exchange in chemical engineering",
     ["buct", "sharif"], ["0711"], "2017-05-08", "2022-05-07", PUBLIC, None),
    ("BUCT-ITB-2018-FW-01", K.FRAMEWORK, "Framework for scholarships for Indonesian students",
     ["buct", "itb", "sino-indonesian-chemical", "nusantara-petrochemical"], ["0711"],
     "2018-08-30", None, PUBLIC, None),
    ("BUCT-BIC-2020-RES-01", K.RESEARCH, "Joint research in catalysis",
     ["buct", "boreskov-institute-of-catalysis"], ["0711", "0531"], "2020-12-01", SOON,
     PARTIES, None),
    ("BUCT-UAEU-2025-MOU-01", K.MOU, "Memorandum of understanding on materials chemistry",
     ["buct", "uaeu"], ["0531"], None, None, PARTIES, None),
    ("JCU-BTC-2019-TR-01", K.TRAINING, "Exchange of ceramic craft trainees",
     ["jingdezhen-ceramic-university", "bat-trang-ceramics-cooperative"], ["0214"],
     "2019-04-16", "2024-04-15", PUBLIC, None),
    ("JCU-JPC-2022-TR-01", K.TRAINING, "Order-based class in ceramic production",
     ["jingdezhen-ceramic-university", "jingdezhen-porcelain-crafts"], ["0214", "0722"],
     "2022-03-09", LATER, PARTIES, TALENT),
    ("XSYU-SATBAYEV-2017-FW-01", K.FRAMEWORK, "Framework agreement on an energy college",
     ["xian-shiyou-university", "satbayev-university"], ["0724"], "2017-12-08", None, MEMBERS,
     TALENT),
    ("XSYU-SREE-2018-TR-01", K.TRAINING, "Dual-tutor training in oilfield engineering",
     ["xian-shiyou-university", "silk-road-energy-engineering"], ["0724"], "2018-03-20",
     "2023-03-19", MEMBERS, TALENT),
    ("HBVU-ATC-2020-TR-01", K.TRAINING, "Mechatronics training workshop",
     ["hebei-vocational-university-of-industry-and-technology", "ayutthaya-technical-college"],
     ["0714"], "2020-10-30", SOON, PUBLIC, TALENT),
    ("HBVU-APC-2021-MOU-01", K.MOU, "Memorandum of understanding on vocational education",
     ["hebei-vocational-university-of-industry-and-technology", "astana-polytechnic-college"],
     ["0715"], "2021-06-11", LATER, PUBLIC, TALENT),
    ("ZJU-UM-2018-DD-01", K.DOUBLE_DEGREE, "Double master's degree in software engineering",
     ["zju", "universiti-malaya"], ["0613"], "2018-07-02", "2023-07-01", PUBLIC, None),
    ("ZJU-UM-2023-DD-02", K.DOUBLE_DEGREE, "Double master's degree in software engineering",
     ["zju", "universiti-malaya"], ["0613"], "2023-06-20", LATER, PUBLIC, None),
    ("PKU-MSU-2017-SE-01", K.STUDENT_EXCHANGE, "Student exchange in the humanities",
     ["pku", "msu"], ["0232", "0314"], "2017-05-15", SOON, PUBLIC, None),
    ("THU-NUS-2019-RES-01", K.RESEARCH, "Research cooperation on sustainable cities",
     ["tsinghua", "nus"], ["0731"], "2019-09-25", LATER, PARTIES, None),
    ("THU-ENU-2025-MOU-01", K.MOU, "Memorandum of understanding on public administration",
     ["tsinghua", "enu"], ["0413"], None, None, PARTIES, None),
    ("LZU-NUM-2016-JD-01", K.JOINT_DEGREE, "Joint bachelor's programme in environmental sciences",
     ["lzu", "num"], ["0521"], "2016-09-01", None, PUBLIC, UASR),
    ("XJU-KNU-2018-SE-01", K.STUDENT_EXCHANGE, "Exchange of language students",
     ["xinjiang-university", "kyrgyz-national-university"], ["0231"], "2018-09-10",
     "2023-09-09", PUBLIC, UASR),
    ("XJU-TNU-2019-SE-01", K.STUDENT_EXCHANGE, "Student exchange in languages and economics",
     ["xinjiang-university", "tajik-national-university"], ["0231", "0311"], "2019-10-22",
     SOON, PUBLIC, UASR),
    ("NWPU-BMSTU-2016-RES-01", K.RESEARCH, "Research cooperation in aircraft design",
     ["nwpu", "bmstu"], ["0716"], "2016-06-30", "2021-06-29", PARTIES, ASRTU),
    ("NWPU-CTU-2019-SE-01", K.STUDENT_EXCHANGE, "Student exchange in aeronautics",
     ["nwpu", "ctu-prague"], ["0716"], "2019-10-01", SOON, PUBLIC, UASR),
    ("CHD-TSTU-2019-TR-01", K.TRAINING, "Training in road and bridge engineering",
     ["changan-university", "tashkent-state-technical-university"], ["0732"], "2019-05-24",
     LATER, PUBLIC, UASR),
    ("GXU-VNU-2017-SE-01", K.STUDENT_EXCHANGE, "Student exchange agreement",
     ["guangxi-university", "vnu-hanoi"], ["0231"], "2017-11-20", LATER, PUBLIC, None),
    ("GXED-HUST-2020-FW-01", K.FRAMEWORK, "Framework agreement on engineering education",
     ["guangxi-education-department", "guangxi-university", "hust"], ["0714", "0413"],
     "2020-09-15", None, PUBLIC, None),
    ("YNU-NUOL-2016-MOU-01", K.MOU, "Memorandum of understanding on academic cooperation",
     ["yunnan-university", "nuol"], ["0231"], "2016-03-18", "2021-03-17", PUBLIC, None),
    ("YNU-NUOL-2021-MOU-02", K.MOU, "Memorandum of understanding on academic cooperation",
     ["yunnan-university", "nuol"], ["0231", "0311"], "2021-03-10", LATER, PUBLIC, None),
    ("YNU-CMU-2020-RES-01", K.RESEARCH, "Research on Mekong water resources",
     ["yunnan-university", "chiang-mai-university"], ["0521", "0532"], "2020-01-13",
     "2025-01-12", PUBLIC, None),
    ("SJTU-NUS-2025-DD-01", K.DOUBLE_DEGREE, "Double master's degree in automation",
     ["sjtu", "nus"], ["0714"], None, None, PARTIES, None),
    ("SJTU-ITU-2018-SE-01", K.STUDENT_EXCHANGE, "Student exchange in naval architecture",
     ["sjtu", "itu"], ["0716"], "2018-02-12", "2023-02-11", PUBLIC, None),
    ("BLCU-NUOL-2018-TR-01", K.TRAINING, "Training of Chinese language teachers",
     ["blcu", "nuol", "la-ministry-of-education"], ["0114", "0231"], "2018-11-05", LATER,
     PUBLIC, None),
    ("BLCU-RUPP-2019-MOU-01", K.MOU, "Memorandum of understanding on language teaching",
     ["blcu", "rupp"], ["0231"], "2019-04-08", SOON, PUBLIC, None),
    ("GZU-MDC-2023-TR-01", K.TRAINING, "Training in digital trade and brand building",
     ["guizhou-university", "mekong-digital-commerce"], ["0414", "0416"], "2023-08-30", LATER,
     PARTIES, None),
    ("SZPT-PSEM-2019-TR-01", K.TRAINING, "Order-based class in semiconductor assembly",
     ["shenzhen-polytechnic", "penang-semiconductor"], ["0714"], "2019-07-22", "2024-07-21",
     PARTIES, TALENT),
    ("SXPI-TTM-2021-TR-01", K.TRAINING, "Training in textile machinery maintenance",
     ["shaanxi-polytechnic-institute", "tashkent-textile-machinery"], ["0723", "0715"],
     "2021-04-20", "2026-04-19", PARTIES, TALENT),
    ("TSGUAS-ATC-2019-MOU-01", K.MOU, "Memorandum of understanding on dual vocational training",
     ["tianjin-sino-german-university", "ayutthaya-technical-college"], ["0715"], "2019-06-21",
     "2024-06-20", MEMBERS, TALENT),
    ("CARS-ARS-2022-RES-01", K.RESEARCH, "Research cooperation in railway systems",
     ["china-academy-of-railway-sciences", "anatolian-rail-systems"], ["1041", "0716"],
     "2022-05-16", LATER, PARTIES, None),
    ("XIEG-KAZNU-2018-RES-01", K.RESEARCH, "Research on Central Asian drylands",
     ["xinjiang-institute-of-ecology-and-geography", "kaznu"], ["0521"], "2018-04-23",
     "2023-04-22", MEMBERS, UASR),
]  # fmt: skip

# renewal: the agreement it renews (which has expired)
RENEWALS = {
    "XJTU-KAZNU-2021-MOU-02": "XJTU-KAZNU-2016-MOU-01",
    "XJTU-ENU-2022-SE-02": "XJTU-ENU-2017-SE-01",
    "HIT-BMSTU-2020-DD-02": "HIT-BMSTU-2015-DD-01",
    "CUPB-SATBAYEV-2021-TR-02": "CUPB-SATBAYEV-2016-TR-01",
    "ZJU-UM-2023-DD-02": "ZJU-UM-2018-DD-01",
    "YNU-NUOL-2021-MOU-02": "YNU-NUOL-2016-MOU-01",
}

TERMINATIONS = {
    "XJTU-PU-2019-SE-01": (
        "2021-03-31",
        "Exchanges stopped during the pandemic and the parties chose not to resume them.",
    ),
    "HITWH-FEFU-2018-JD-01": ("2022-03-01", "The partner withdrew from the programme."),
    "BUCT-SUT-2017-SE-01": ("2020-01-15", "Ended by mutual consent when funding lapsed."),
    "YNU-CMU-2020-RES-01": ("2023-06-30", "Replaced by a broader agreement in preparation."),
    "SXPI-TTM-2021-TR-01": ("2023-11-30", "The enterprise ended its sponsorship."),
    "TSGUAS-ATC-2019-MOU-01": ("2023-12-31", "The college left the alliance programme."),
}

WITNESSES = {
    "XJTU-KAZNU-2021-MOU-02": "kz-ministry-of-science-and-higher-education",
    "CHD-TSTU-2019-TR-01": "uz-ministry-of-higher-education",
    "XSYU-SATBAYEV-2017-FW-01": "kz-engineering-education-association",
    "HBVU-ATC-2020-TR-01": "th-ministry-of-higher-education",
    "LZU-NUM-2016-JD-01": "mn-ministry-of-education",
    "GZU-MDC-2023-TR-01": "southeast-asian-vocational-education-association",
    "XJTU-SXED-2016-FW-01": "shaanxi-international-education-association",
}

AUTO_RENEWING = {"XJTU-ENU-2022-SE-02", "GXU-VNU-2017-SE-01", "BLCU-NUOL-2018-TR-01"}


def expiry_date(reference, expires, today):
    """The expiry of one agreement: fixed, or drawn relative to `today`."""
    rng = random.Random(f"expiry:{reference}")
    if expires == SOON:
        return today + datetime.timedelta(days=rng.randint(20, 170))
    if expires == LATER:
        return today + datetime.timedelta(days=rng.randint(400, 1600))
    return datetime.date.fromisoformat(expires) if expires else None


def agreement_values(row, today, loaded):
    """The field values of one agreement of the table."""
    reference, kind, title, _parties, _fields, signed, expires, visibility, _alliance = row
    signed_on = datetime.date.fromisoformat(signed) if signed else None
    effective_from = signed_on
    renews = loaded.get(RENEWALS.get(reference))
    if renews is not None:
        effective_from = renews.expires_on + datetime.timedelta(days=1)
    terminated_on, reason = None, ""
    if reference in TERMINATIONS:
        day, reason = TERMINATIONS[reference]
        terminated_on = datetime.date.fromisoformat(day)
    return {
        "reference": reference,
        "title": title,
        "kind": kind,
        "signed_on": signed_on,
        "effective_from": effective_from,
        "expires_on": expiry_date(reference, expires, today),
        "auto_renews": reference in AUTO_RENEWING,
        "renews": renews,
        "terminated_on": terminated_on,
        "termination_reason": reason,
        "visibility": visibility,
        "is_generated": True,
    }


def party_rows(row, institutions):
    """(institution, role, signatory, title) for the signing parties and any witness."""
    reference, parties = row[0], row[3]
    Role = AgreementParty.Role
    rows = []
    for position, slug in enumerate(parties):
        institution = institutions[slug]
        role = Role.COORDINATOR if position == 0 and len(parties) > 2 else Role.PARTY
        rows.append((institution, role, *signatory_for(institution)))
    if reference in WITNESSES:
        witness = institutions[WITNESSES[reference]]
        rows.append((witness, Role.WITNESS, *signatory_for(witness)))
    return rows


def summary_of(title, parties, institutions):
    names = [institutions[slug].name for slug in parties]
    return f"{title} between {', '.join(names[:-1])} and {names[-1]}."


def load_agreements(alliances, institutions, today):
    """The generated agreements; returns them by reference."""
    loaded = {}
    for row in AGREEMENTS:
        values = agreement_values(row, today, loaded)
        values["alliance"] = alliances.get(row[8])
        values["summary"] = summary_of(row[2], row[3], institutions)
        reference = values["reference"]
        loaded[reference] = upsert_agreement(values, party_rows(row, institutions), row[4])
    return loaded
