from partnerships.models import FieldOfStudy


def test_fields_of_study_are_seeded(db):
    assert FieldOfStudy.objects.get(code="0413").name == "Management and administration"
