from django.db import migrations

# The API lists agreements drafts last (signed_on DESC NULLS LAST). SQLite cannot index
# NULLS LAST, so the index is made on PostgreSQL only and is not part of the model state.
CREATE = (
    "CREATE INDEX IF NOT EXISTS agreement_api_order_idx ON partnerships_agreement "
    "(signed_on DESC NULLS LAST, reference, id)"
)
DROP = "DROP INDEX IF EXISTS agreement_api_order_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_conditions_units_approvals_identity")]

    operations = [migrations.RunPython(create_index, drop_index)]
