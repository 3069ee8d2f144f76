"""Records taken from the sources: alliances, institutions, the 2023 memoranda, IKCEST."""

import datetime

from partnerships.demo.store import upsert, upsert_agreement
from partnerships.models import (
    Agreement,
    AgreementParty,
    Alliance,
    CountryGroup,
    Event,
    Institution,
    Membership,
)
from programs.models import Programme, ProgrammePartner

Kind = Institution.Kind

BELT_AND_ROAD = (
    "MN "
    "SG MY ID MM TH LA KH VN BN PH TL "
    "IN PK BD AF NP BT LK MV "
    "KZ UZ TM KG TJ "
    "SA AE OM IR TR IL EG KW IQ QA JO LB BH YE SY PS "
    "PL AL EE LT SI BG CZ HU MK RS RO SK HR LV BA ME "
    "RU UA BY GE AZ AM MD"
).split()
ASEAN = "BN KH ID LA MY MM PH SG TH VN".split()
CENTRAL_ASIA = "KZ KG TJ TM UZ".split()

COUNTRY_GROUPS = [
    (
        "belt-and-road",
        "Belt and Road countries",
        BELT_AND_ROAD,
        "The 64 countries along the Belt and Road counted in studies of educational "
        "cooperation with China (China excluded).",
    ),
    ("asean", "ASEAN", ASEAN, "Member states of the Association of Southeast Asian Nations."),
    ("central-asia", "Central Asia", CENTRAL_ASIA, "The five Central Asian republics."),
]

# slug, name, short name, kind, country, city, founded, website, ROR ID, description
INSTITUTIONS = [
    ("xjtu", "Xi'an Jiaotong University", "XJTU", Kind.UNIVERSITY, "CN", "Xi'an", 1896,
     "https://www.xjtu.edu.cn/", "https://ror.org/017zhmm22",
     "Founder and headquarters of the University Alliance of the New Silk Road; hosts the "
     "IKCEST training base."),
    ("hit", "Harbin Institute of Technology", "HIT", Kind.UNIVERSITY, "CN", "Harbin", 1920,
     "https://www.hit.edu.cn/", "https://ror.org/01yqg2h08",
     "Member of the University Alliance of the New Silk Road; builds on the Association of "
     "Sino-Russian Technical Universities for its cooperation with Russia."),
    ("hit-weihai", "Harbin Institute of Technology, Weihai", "HITWH", Kind.UNIVERSITY, "CN",
     "Weihai", None, "", "",
     "Campus of HIT on the Shandong coast, with an International College of Marine Science "
     "and Engineering."),
    ("cup-beijing", "China University of Petroleum (Beijing)", "CUPB", Kind.UNIVERSITY, "CN",
     "Beijing", None, "", "", "Petroleum and energy university."),
    ("buct", "Beijing University of Chemical Technology", "BUCT", Kind.UNIVERSITY, "CN",
     "Beijing", None, "", "",
     "Partners in Saudi Arabia, the United Arab Emirates and Iran; runs a scholarship "
     "programme for Indonesian students with enterprises."),
    ("jingdezhen-ceramic-university", "Jingdezhen Ceramic University", "JCU", Kind.UNIVERSITY,
     "CN", "Jingdezhen", None, "", "", "University of ceramic art, design and engineering."),
    ("xian-shiyou-university", "Xi'an Shiyou University", "XSYU", Kind.UNIVERSITY, "CN",
     "Xi'an", None, "", "", "Petroleum university; home of the Silk Road Energy College."),
    ("hebei-vocational-university-of-industry-and-technology",
     "Hebei Vocational University of Industry and Technology", "", Kind.VOCATIONAL_COLLEGE,
     "CN", "Shijiazhuang", None, "", "", "Vocational university of industry and technology."),
    ("bjut", "Beijing University of Technology", "BJUT", Kind.UNIVERSITY, "CN", "Beijing",
     None, "", "", "Municipal university of engineering in Beijing."),
    ("tsinghua", "Tsinghua University", "THU", Kind.UNIVERSITY, "CN", "Beijing", 1911,
     "https://www.tsinghua.edu.cn/", "https://ror.org/03cve4549", ""),
    ("pku", "Peking University", "PKU", Kind.UNIVERSITY, "CN", "Beijing", 1898,
     "https://www.pku.edu.cn/", "https://ror.org/02v51f717", ""),
    ("zju", "Zhejiang University", "ZJU", Kind.UNIVERSITY, "CN", "Hangzhou", 1897,
     "https://www.zju.edu.cn/", "https://ror.org/00a2xv884", ""),
    ("msu", "Lomonosov Moscow State University", "MSU", Kind.UNIVERSITY, "RU", "Moscow", 1755,
     "https://www.msu.ru/", "https://ror.org/010pmpe69", ""),
    ("ranepa", "Russian Presidential Academy of National Economy and Public Administration",
     "RANEPA", Kind.UNIVERSITY, "RU", "Moscow", None, "", "",
     "Academy of economics and public administration."),
    ("ikcest", "International Knowledge Centre for Engineering Sciences and Technology",
     "IKCEST", Kind.RESEARCH_INSTITUTE, "CN", "Beijing", None, "", "",
     "Knowledge centre under the auspices of UNESCO; its Silk Road training base is at "
     "Xi'an Jiaotong University."),
    ("china-campus-network", "China Campus Network", "CCN", Kind.ENTERPRISE, "CN", "", None,
     "", "",
     "Enterprise that co-organised the youth and digital brands forum of the 2023 "
     "China-ASEAN Education Cooperation Week."),
    ("mtc-global", "MTC Global", "", Kind.ENTERPRISE, "CN", "", None, "", "",
     "Enterprise partner in university-enterprise talent training."),
    ("hahcv", "Hanoi Association of Handicrafts Fine Arts and Craft Villages", "HAHCV",
     Kind.ASSOCIATION, "VN", "Hanoi", None, "", "",
     "Association of handicraft producers and craft villages around Hanoi."),
    ("hangzhou-enterprise-brand-association",
     "Hangzhou Enterprise Brand Development Promotion Association", "", Kind.ASSOCIATION, "CN",
     "Hangzhou", None, "", "",
     'Industry association known as the "Cross-border Hundred People Association".'),
    ("belt-and-road-talent-alliance",
     '"Belt and Road" Talent Training University-Enterprise Alliance', "", Kind.NETWORK, "CN",
     "", None, "", "",
     "The university-enterprise alliance as a signing organisation; chaired by Liu Baoli."),
    ("hangzhou-bureau-of-commerce", "Hangzhou Municipal Bureau of Commerce", "",
     Kind.GOVERNMENT_BODY, "CN", "Hangzhou", None, "", "", "Commerce bureau of Hangzhou."),
    ("yunnan-provincial-government", "Yunnan Provincial People's Government", "",
     Kind.GOVERNMENT_BODY, "CN", "Kunming", None, "", "", "Provincial government of Yunnan."),
]  # fmt: skip

ALLIANCES = [
    {
        "slug": "uasr",
        "name": "University Alliance of the New Silk Road",
        "acronym": "UASR",
        "founded_on": datetime.date(2015, 5, 22),
        "headquarters": "xjtu",
        "cooperation_model": Alliance.CooperationModel.UNIVERSITY_UNIVERSITY,
        "focus_areas": [
            "Personnel training",
            "Inter-university exchange",
            "Cultural exchange",
            "Policy research",
            "Scientific research cooperation",
            "Medical services",
        ],
        "description": "Non-governmental, non-profit alliance founded by Xi'an Jiaotong "
        "University in 2015; about 100 universities from about 22 countries and regions.",
    },
    {
        "slug": "belt-and-road-talent-alliance",
        "name": '"Belt and Road" Talent Training University-Enterprise Alliance',
        "acronym": "",
        "founded_on": None,
        "headquarters": None,
        "cooperation_model": Alliance.CooperationModel.INDUSTRY_UNIVERSITY_RESEARCH,
        "focus_areas": ["Talent training for enterprises", "Customized training"],
        "description": "Alliance of universities and enterprises training talent for the "
        "Belt and Road, chaired by Liu Baoli with Zhou Yong as executive secretary-general.",
    },
    {
        "slug": "asrtu",
        "name": "Association of Sino-Russian Technical Universities",
        "acronym": "ASRTU",
        "founded_on": None,
        "headquarters": None,
        "cooperation_model": Alliance.CooperationModel.UNIVERSITY_UNIVERSITY,
        "focus_areas": ["Engineering education", "Joint research"],
        "description": "Alliance of Chinese and Russian technical universities.",
    },
]

# alliance, institution, role, joined on, notes
MEMBERSHIPS = [
    ("uasr", "xjtu", Membership.Role.SECRETARIAT_HOST, datetime.date(2015, 5, 22), ""),
    ("uasr", "hit", Membership.Role.MEMBER, datetime.date(2015, 5, 22),
     "The joining date is not recorded; the founding date of the alliance is shown."),
]  # fmt: skip

EVENTS = [
    {
        "slug": "china-asean-education-cooperation-week-2023",
        "name": "2023 China-ASEAN Education Cooperation Week",
        "kind": Event.Kind.EDUCATION_WEEK,
        "starts_on": datetime.date(2023, 8, 28),
        "ends_on": datetime.date(2023, 9, 2),
        "venue": "",
        "city": "Gui'an New Area",
        "country": "CN",
        "alliance": None,
        "host": None,
        "part_of": None,
        "description": "The 16th intergovernmental week of educational exchange between "
        "China and ASEAN, at its permanent venue in Guizhou.",
    },
    {
        "slug": "creative-future-youth-borderless-digital-brands-2023",
        "name": "Creative Future Youth, Borderless Digital Brands",
        "kind": Event.Kind.FORUM,
        "starts_on": datetime.date(2023, 8, 28),
        "ends_on": datetime.date(2023, 8, 28),
        "venue": "Huangguoshu Hall",
        "city": "",
        "country": "CN",
        "alliance": "belt-and-road-talent-alliance",
        "host": "belt-and-road-talent-alliance",
        "part_of": "china-asean-education-cooperation-week-2023",
        "description": "Forum on youth and digital brands co-organised by the "
        '"Belt and Road" Talent Training University-Enterprise Alliance and China Campus '
        "Network, where four memoranda of cooperation were signed.",
    },
]

FORUM = "creative-future-youth-borderless-digital-brands-2023"
SIGNED_AT_FORUM = datetime.date(2023, 8, 28)
WITNESSES = [
    ("belt-and-road-talent-alliance", "Liu Baoli", "Chair"),
    ("hangzhou-bureau-of-commerce", "Chen Jian", ""),
]

# reference, title, alliance, subject areas, parties as (institution, signatory, title)
MEMORANDA_2023 = [
    ("CAECW-2023-MOC-01", "Digital Economy Talent Development Project", None, ["0413", "0613"],
     [("china-campus-network", "Yu Shucheng", "President"),
      ("ranepa", "Olga Gumilevskaya", "Vice-Dean")]),
    ("CAECW-2023-MOC-02", "Customized Talent Development Project in the Ceramic Industry",
     None, ["0214"],
     [("china-campus-network", "Yang Jingsi", "Deputy Secretary-General"),
      ("hahcv", "Vu Nhu Quynh", "")]),
    ("CAECW-2023-MOC-03", "Customized Talent Development Project in the Ceramic Industry",
     None, ["0214"],
     [("jingdezhen-ceramic-university", "Lü Pinchang", "Vice President"),
      ("hahcv", "Vu Nhu Quynh", "")]),
    ("CAECW-2023-MOC-04", "China Brand International Talent Development Cooperative Project",
     "belt-and-road-talent-alliance", ["0413", "0414"],
     [("belt-and-road-talent-alliance", "Zhou Yong", "Executive Secretary-General"),
      ("hangzhou-enterprise-brand-association", "Xie Heming", "Vice President")]),
]  # fmt: skip

BJUT_YUNNAN = {
    "reference": "BJUT-YUNNAN-2016-FW-01",
    "title": "Framework Agreement on Comprehensive Strategic Cooperation",
    "kind": Agreement.Kind.FRAMEWORK,
    # Only the year is known; 1 January stands for it.
    "signed_on": datetime.date(2016, 1, 1),
    "summary": "Beijing University of Technology and Yunnan Province agree to cooperate "
    "in education, research and talent. Signed in 2016; the day is not recorded.",
    "parties": ["bjut", "yunnan-provincial-government"],
}

IKCEST_PROGRAMME = {
    "slug": "ikcest-silk-road-training",
    "name": "IKCEST Silk Road Training Programme",
    "kind": Programme.Kind.RESEARCH_TRAINING,
    "level": "non-degree",
    "lead": "xjtu",
    "partners": [("ikcest", ProgrammePartner.Role.CO_PROVIDER)],
    "description": "Engineering and technology training for professionals from Belt and "
    "Road countries at the IKCEST training base in Xi'an. By September 2021: 98 training "
    "programmes, 17,194 trainees from 115 countries, 18 offline topics, 243 courses and a "
    "knowledge service in six languages.",
}


def load_country_groups():
    """The named groups researchers filter by."""
    for slug, name, codes, description in COUNTRY_GROUPS:
        upsert(
            CountryGroup,
            {"slug": slug},
            # Stored sorted by code, so compared sorted.
            {"name": name, "countries": sorted(codes), "description": description},
        )


def load_institutions():
    """The institutions named in the sources; returns them by slug."""
    institutions = {}
    for row in INSTITUTIONS:
        slug, name, short, kind, country, city, founded, website, ror, description = row
        institutions[slug] = upsert(
            Institution,
            {"slug": slug},
            {
                "name": name,
                "short_name": short,
                "kind": kind,
                "country": country,
                "city": city,
                "founded_year": founded,
                "website": website,
                "ror_id": ror,
                "description": description,
                "is_generated": False,
            },
        )
    return institutions


def load_alliances(institutions):
    """The three alliances; returns them by slug."""
    alliances = {}
    for data in ALLIANCES:
        values = {key: value for key, value in data.items() if key != "slug"}
        values["headquarters"] = institutions.get(data["headquarters"])
        values["focus_areas"] = "\n".join(data["focus_areas"])
        alliances[data["slug"]] = upsert(Alliance, {"slug": data["slug"]}, values)
    return alliances


def load_memberships(alliances, institutions):
    """The memberships the sources state."""
    for alliance, institution, role, joined_on, notes in MEMBERSHIPS:
        upsert(
            Membership,
            {
                "alliance": alliances[alliance],
                "institution": institutions[institution],
                "joined_on": joined_on,
            },
            {"role": role, "left_on": None, "notes": notes},
        )


def load_events(alliances, institutions):
    """The 2023 education week and the forum held during it; returns them by slug."""
    events = {}
    for data in EVENTS:
        values = {key: value for key, value in data.items() if key != "slug"}
        values["alliance"] = alliances.get(data["alliance"])
        values["host"] = institutions.get(data["host"])
        values["part_of"] = events.get(data["part_of"])
        events[data["slug"]] = upsert(Event, {"slug": data["slug"]}, values)
    return events


def load_agreements(alliances, institutions, events):
    """The four memoranda of 28 August 2023 and BJUT's framework agreement with Yunnan."""
    Role = AgreementParty.Role
    agreements = {}
    witnesses = [(institutions[slug], Role.WITNESS, name, title) for slug, name, title in WITNESSES]
    for reference, title, alliance, fields, signatories in MEMORANDA_2023:
        parties = [
            (institutions[slug], Role.PARTY, name, position) for slug, name, position in signatories
        ]
        agreements[reference] = upsert_agreement(
            {
                "reference": reference,
                "title": title,
                "kind": Agreement.Kind.MEMORANDUM_OF_COOPERATION,
                "alliance": alliances.get(alliance),
                "event": events[FORUM],
                "signed_on": SIGNED_AT_FORUM,
                "visibility": Agreement.Visibility.PUBLIC,
                "summary": f"Memorandum of cooperation on the {title}, signed at the forum "
                '"Creative Future Youth, Borderless Digital Brands".',
                "is_generated": False,
            },
            parties + witnesses,
            fields,
        )
    data = dict(BJUT_YUNNAN)
    parties = [(institutions[slug], Role.PARTY, "", "") for slug in data.pop("parties")]
    agreements[data["reference"]] = upsert_agreement(
        {**data, "visibility": Agreement.Visibility.PUBLIC, "is_generated": False}, parties
    )
    return agreements


def load_programmes(institutions):
    """The IKCEST Silk Road training programme at XJTU."""
    data = IKCEST_PROGRAMME
    programme = upsert(
        Programme,
        {"slug": data["slug"]},
        {
            "name": data["name"],
            "kind": data["kind"],
            "level": data["level"],
            "lead": institutions[data["lead"]],
            "description": data["description"],
            "is_generated": False,
        },
    )
    for slug, role in data["partners"]:
        upsert(
            ProgrammePartner,
            {"programme": programme, "institution": institutions[slug], "role": role},
            {},
        )
    return {data["slug"]: programme}
