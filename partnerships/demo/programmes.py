"""Generated programmes of every kind, with their partners."""

import datetime

from partnerships.demo.store import upsert
from programs.models import Programme, ProgrammePartner

P = Programme.Kind
CO, ENTERPRISE, FUNDER, HOST = ProgrammePartner.Role

# slug, name, kind, level, field, lead, partners as (institution, role), founding agreement,
# alliance, languages, starts on, ends on, places per year, dual tutor
PROGRAMMES = [
    ("digital-economy-talent-development", "Digital Economy Talent Development Project",
     P.CUSTOMIZED_TRAINING, "non-degree", "0413", "china-campus-network",
     [("ranepa", CO)], "CAECW-2023-MOC-01", None, "ru,en,zh", "2024-03-01", None, 60, False),
    ("ceramic-industry-talent-development-jcu",
     "Customized Talent Development in the Ceramic Industry", P.CUSTOMIZED_TRAINING, "5",
     "0214", "jingdezhen-ceramic-university",
     [("hahcv", CO), ("china-campus-network", ENTERPRISE),
      ("bat-trang-ceramics-cooperative", HOST)],
     "CAECW-2023-MOC-03", "belt-and-road-talent-alliance", "zh,vi", "2024-03-01", None, 40,
     True),
    ("china-brand-international-talent", "China Brand International Talent Development",
     P.SHORT_COURSE, "non-degree", "0414", "belt-and-road-talent-alliance",
     [("hangzhou-enterprise-brand-association", CO),
      ("hangzhou-cross-border-ecommerce", ENTERPRISE)],
     "CAECW-2023-MOC-04", "belt-and-road-talent-alliance", "zh,en", "2024-04-15", None, 120,
     False),
    ("xjtu-kaznu-double-masters-electrical-engineering",
     "Double Master's Degree in Electrical Engineering", P.DOUBLE_DEGREE, "7", "0713", "xjtu",
     [("kaznu", CO)], "XJTU-KAZNU-2019-DD-01", "uasr", "en,ru,zh", "2019-09-01", None, 20,
     False),
    ("xjtu-um-joint-phd-biomedical-engineering", "Joint PhD in Biomedical Engineering",
     P.JOINT_DEGREE, "8", "0914", "xjtu", [("universiti-malaya", CO)], "XJTU-UM-2020-JD-01",
     "uasr", "en", "2021-09-01", None, 8, False),
    ("uasr-silk-road-summer-school", "Silk Road Summer School", P.SUMMER_SCHOOL, "non-degree",
     "0314", "xjtu", [("kaznu", HOST), ("nuuz", HOST), ("num", HOST)], None, "uasr", "en,zh",
     "2016-07-04", None, 150, False),
    ("uasr-silk-road-scholarship", "Silk Road Scholarship", P.SCHOLARSHIP, "7", None, "xjtu",
     [("shaanxi-education-department", FUNDER)], "XJTU-SXED-2016-FW-01", "uasr", "en,zh",
     "2016-09-01", None, 100, False),
    ("hit-bmstu-double-masters-aerospace", "Double Master's Degree in Aerospace Engineering",
     P.DOUBLE_DEGREE, "7", "0716", "hit", [("bmstu", CO)], "HIT-BMSTU-2020-DD-02", "asrtu",
     "ru,zh,en", "2016-09-01", None, 25, False),
    ("asrtu-engineering-summer-school", "Sino-Russian Engineering Summer School",
     P.SUMMER_SCHOOL, "non-degree", "0714", "bmstu", [("hit", CO), ("tpu", HOST)], None,
     "asrtu", "ru,zh", "2017-07-10", None, 80, False),
    ("hit-russian-language-centre", "Russian Language Centre", P.LANGUAGE_CENTRE, "non-degree",
     "0231", "hit", [("spbu", CO)], None, "asrtu", "ru,zh", "2018-02-26", None, 200, False),
    ("hitwh-marine-science-and-engineering",
     "International College of Marine Science and Engineering", P.JOINT_INSTITUTE, "6", "0716",
     "hit-weihai", [("weihai-ocean-engineering", ENTERPRISE)], "HITWH-WOE-2021-TR-01", None,
     "en,zh", "2021-09-01", None, 120, True),
    ("silk-road-energy-college", "Silk Road Energy College", P.JOINT_INSTITUTE, "6", "0724",
     "xian-shiyou-university",
     [("satbayev-university", CO), ("silk-road-energy-engineering", ENTERPRISE)],
     "XSYU-SATBAYEV-2017-FW-01", "belt-and-road-talent-alliance", "zh,ru,kk", "2018-09-01",
     None, 90, True),
    ("buct-indonesian-student-scholarship", "Scholarship for Indonesian Students",
     P.SCHOLARSHIP, "6", "0711", "buct",
     [("itb", CO), ("sino-indonesian-chemical", FUNDER), ("nusantara-petrochemical", FUNDER)],
     "BUCT-ITB-2018-FW-01", None, "zh,en,id", "2018-09-01", None, 30, False),
    ("cupb-petroleum-engineering-order-class", "Order-based Class in Petroleum Engineering",
     P.CUSTOMIZED_TRAINING, "6", "0724", "cup-beijing",
     [("satbayev-university", CO), ("caspian-oilfield-services", ENTERPRISE)],
     "CUPB-SATBAYEV-2021-TR-02", None, "zh,ru,en", "2016-09-01", None, 35, True),
    ("hbvu-mechatronics-workshop", "Mechatronics Training Workshop", P.CUSTOMIZED_TRAINING,
     "5", "0714", "hebei-vocational-university-of-industry-and-technology",
     [("ayutthaya-technical-college", HOST), ("mtc-global", ENTERPRISE)],
     "HBVU-ATC-2020-TR-01", "belt-and-road-talent-alliance", "th,zh,en", "2021-03-01", None, 50,
     True),
    ("zju-um-double-masters-software", "Double Master's Degree in Software Engineering",
     P.DOUBLE_DEGREE, "7", "0613", "zju", [("universiti-malaya", CO)], "ZJU-UM-2023-DD-02",
     None, "en,zh,ms", "2018-09-01", None, 30, False),
    ("lzu-num-joint-bachelors-environment", "Joint Bachelor's in Environmental Sciences",
     P.JOINT_DEGREE, "6", "0521", "lzu", [("num", CO)], "LZU-NUM-2016-JD-01", "uasr", "zh,mn,en",
     "2016-09-01", None, 40, False),
    ("gxu-cross-border-ecommerce-course", "Cross-border E-commerce for ASEAN SMEs",
     P.SHORT_COURSE, "non-degree", "0416", "guangxi-university",
     [("vnu-hanoi", CO), ("mekong-digital-commerce", ENTERPRISE)], None, None, "zh,vi,en",
     "2020-10-12", "2023-06-30", 60, False),
    ("ynu-chinese-language-centre-vientiane", "Chinese Language and Culture Centre, Vientiane",
     P.LANGUAGE_CENTRE, "non-degree", "0231", "yunnan-university", [("nuol", HOST)],
     "YNU-NUOL-2021-MOU-02", None, "zh,lo", "2016-05-01", None, 300, False),
    ("ynu-mekong-water-summer-school", "Mekong Water Resources Summer School",
     P.SUMMER_SCHOOL, "non-degree", "0521", "yunnan-university",
     [("chiang-mai-university", HOST), ("tistr", CO)], None, None, "en", "2019-07-08",
     "2023-07-31", 40, False),
    ("buct-catalysis-research-training", "Doctoral Research Training in Catalysis",
     P.RESEARCH_TRAINING, "8", "0711", "buct", [("boreskov-institute-of-catalysis", HOST)],
     "BUCT-BIC-2020-RES-01", None, "en,ru", "2021-02-01", None, 10, False),
    ("sxpi-railway-order-class", "Order-based Class in Railway Engineering",
     P.CUSTOMIZED_TRAINING, "5", "1041", "shaanxi-polytechnic-institute",
     [("tashkent-state-technical-university", CO), ("xian-rail-transit-equipment", ENTERPRISE)],
     None, "belt-and-road-talent-alliance", "zh,uz,ru", "2019-09-01", None, 45, True),
    ("chd-road-engineering-short-course", "Road and Bridge Engineering Short Course",
     P.SHORT_COURSE, "non-degree", "0732", "changan-university",
     [("tashkent-state-technical-university", HOST), ("uz-ministry-of-higher-education", FUNDER)],
     "CHD-TSTU-2019-TR-01", "uasr", "ru,zh", "2019-10-14", None, 30, False),
    ("blcu-lao-teacher-training", "Chinese Language Teacher Training for Laos",
     P.SHORT_COURSE, "non-degree", "0114", "blcu", [("la-ministry-of-education", FUNDER)],
     "BLCU-NUOL-2018-TR-01", None, "zh,lo", "2019-03-01", None, 25, False),
]  # fmt: skip


def d(text):
    return datetime.date.fromisoformat(text) if text else None


def load_programmes(alliances, institutions, agreements):
    """The generated programmes and their partners; returns the programmes by slug."""
    programmes = {}
    for row in PROGRAMMES:
        (slug, name, kind, level, field, lead, partners, agreement, alliance, languages,
         starts_on, ends_on, capacity, dual_tutor) = row  # fmt: skip
        programme = upsert(
            Programme,
            {"slug": slug},
            {
                "name": name,
                "kind": kind,
                "level": level,
                "field_id": field,
                "lead": institutions[lead],
                "agreement": agreements.get(agreement),
                "alliance": alliances.get(alliance),
                "languages": languages,
                "starts_on": d(starts_on),
                "ends_on": d(ends_on),
                "annual_capacity": capacity,
                "dual_tutor": dual_tutor,
                "is_generated": True,
            },
        )
        for institution, role in partners:
            upsert(
                ProgrammePartner,
                {"programme": programme, "institution": institutions[institution], "role": role},
                {},
            )
        programmes[slug] = programme
    return programmes
