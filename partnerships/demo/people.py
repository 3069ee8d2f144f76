"""Generated signatories: a plausible head for each institution, by country and kind."""

import random

from partnerships.models import Institution

Kind = Institution.Kind

NAMES = {
    "CN": ["Wang Jianhua", "Li Xiaoming", "Zhang Wei", "Liu Yang", "Chen Jing", "Zhao Lei",
           "Sun Hong", "Zhou Min", "Wu Gang", "Xu Lin", "Ma Jun", "Hu Yan"],
    "RU": ["Alexei Smirnov", "Elena Kuznetsova", "Dmitry Popov", "Irina Volkova",
           "Sergei Morozov", "Natalia Lebedeva"],
    "KZ": ["Aidos Nurlanov", "Gulnara Akhmetova", "Yerlan Sadykov", "Aigerim Bekova"],
    "UZ": ["Bakhtiyor Yusupov", "Dilnoza Rakhimova", "Sherzod Tursunov"],
    "KG": ["Nurbek Asanov", "Aizada Toktogulova"],
    "TJ": ["Farrukh Rahimov", "Manizha Saidova"],
    "TM": ["Serdar Orazov", "Ogulgerek Annayeva"],
    "BY": ["Andrei Kovalenko", "Olga Novik"],
    "MN": ["Batbayar Ganbold", "Oyunchimeg Dorj"],
    "PK": ["Imran Qureshi", "Ayesha Siddiqui", "Farhan Malik"],
    "IN": ["Rajesh Kumar", "Priya Sharma"],
    "BD": ["Mahmudul Hasan", "Nusrat Jahan"],
    "NP": ["Bikash Shrestha", "Sunita Karki"],
    "LK": ["Nimal Perera", "Dilani Fernando"],
    "TH": ["Somchai Srisuk", "Pornthip Chaiyaporn", "Anan Wongsawat"],
    "LA": ["Khamphone Sisouk", "Bounmy Phommachanh"],
    "VN": ["Nguyen Van Minh", "Tran Thi Lan", "Pham Quoc Hung"],
    "ID": ["Budi Santoso", "Siti Rahmawati", "Agus Wijaya"],
    "MY": ["Ahmad Faizal Hassan", "Nurul Aini Ismail", "Tan Wei Ming"],
    "SG": ["Lim Chee Keong", "Ng Mei Ling"],
    "KH": ["Sok Vannak", "Chan Sophea"],
    "MM": ["Aung Kyaw Min", "Thiri Win"],
    "PH": ["Jose Reyes", "Maria Santos"],
    "TR": ["Mehmet Yılmaz", "Ayşe Demir"],
    "IR": ["Reza Ahmadi", "Maryam Hosseini"],
    "SA": ["Abdullah Al-Harbi", "Faisal Al-Qahtani"],
    "AE": ["Khalid Al-Mansouri", "Fatima Al-Hammadi"],
    "EG": ["Ahmed Hassan", "Mona Abdelrahman"],
    "PL": ["Piotr Nowak", "Anna Kowalska"],
    "CZ": ["Jan Novák", "Petra Svobodová"],
    "HU": ["László Nagy", "Katalin Tóth"],
    "RS": ["Marko Jovanović", "Jelena Petrović"],
    "GE": ["Giorgi Beridze", "Nino Kapanadze"],
    "KR": ["Kim Min-jun", "Lee Ji-eun"],
}  # fmt: skip

TITLES = {
    Kind.UNIVERSITY: ["Rector", "Vice-Rector for International Affairs",
                      "Director of the International Office"],
    Kind.VOCATIONAL_COLLEGE: ["Director", "Vice Principal"],
    Kind.RESEARCH_INSTITUTE: ["Director", "Deputy Director"],
    Kind.ENTERPRISE: ["General Manager", "Chairman of the Board", "Chief Executive Officer"],
    Kind.ASSOCIATION: ["President", "Secretary-General"],
    Kind.GOVERNMENT_BODY: ["Director-General", "Deputy Director"],
    Kind.NETWORK: ["Executive Director", "Secretary-General"],
    Kind.INTERNATIONAL_ORGANISATION: ["Director"],
}  # fmt: skip
CHINESE_UNIVERSITY_TITLES = ["President", "Vice President", "Director of International Cooperation"]


def signatory_for(institution):
    """The (name, title) that signs for `institution`, the same on every agreement."""
    rng = random.Random(f"signatory:{institution.slug}")
    name = rng.choice(NAMES[institution.country.code])
    titles = TITLES[institution.kind]
    if institution.kind == Kind.UNIVERSITY and institution.country == "CN":
        titles = CHINESE_UNIVERSITY_TITLES
    return name, rng.choice(titles)
