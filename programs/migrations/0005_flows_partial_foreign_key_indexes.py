"""The flows' foreign-key indexes leave out rows without a reference.

Most flows are country-level (no institution, programme or agreement), so a bulk import
wrote a NULL into each of four indexes for most rows. The new indexes hold only the rows
that name something; lookups by value (`col = x`, and the deletion checks of institutions,
programmes and agreements) use them, since `col = x` implies `col IS NOT NULL`.

Only the indexes change: the foreign-key constraints stay as they are (an AlterField of
`db_index` would drop and re-create them, re-checking every row).
"""

import django.db.models.deletion
from django.db import migrations, models

FOREIGN_KEY_INDEXES = {
    "agreement_id": "programs_studentflow_agreement_id_7f321140",
    "destination_institution_id": "programs_studentflow_destination_institution_id_7b4e8a66",
    "origin_institution_id": "programs_studentflow_origin_institution_id_5d04126a",
    "programme_id": "programs_studentflow_programme_id_1a3c4010",
}


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_agreement_api_order_index"),
        ("programs", "0004_flow_cursor_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="studentflow",
            index=models.Index(
                condition=models.Q(("origin_institution__isnull", False)),
                fields=["origin_institution"],
                name="flow_origin_inst_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="studentflow",
            index=models.Index(
                condition=models.Q(("destination_institution__isnull", False)),
                fields=["destination_institution"],
                name="flow_destination_inst_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="studentflow",
            index=models.Index(
                condition=models.Q(("programme__isnull", False)),
                fields=["programme"],
                name="flow_programme_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="studentflow",
            index=models.Index(
                condition=models.Q(("agreement__isnull", False)),
                fields=["agreement"],
                name="flow_agreement_idx",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[f'DROP INDEX IF EXISTS "{name}"' for name in FOREIGN_KEY_INDEXES.values()],
                    reverse_sql=[
                        f'CREATE INDEX "{name}" ON "programs_studentflow" ("{column}")'
                        for column, name in FOREIGN_KEY_INDEXES.items()
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="studentflow",
                    name="agreement",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="The agreement whose places these students used, if any.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="flows",
                        to="partnerships.agreement",
                        verbose_name="agreement",
                    ),
                ),
                migrations.AlterField(
                    model_name="studentflow",
                    name="destination_institution",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="inbound_flows",
                        to="partnerships.institution",
                        verbose_name="destination institution",
                    ),
                ),
                migrations.AlterField(
                    model_name="studentflow",
                    name="origin_institution",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outbound_flows",
                        to="partnerships.institution",
                        verbose_name="origin institution",
                    ),
                ),
                migrations.AlterField(
                    model_name="studentflow",
                    name="programme",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="flows",
                        to="programs.programme",
                        verbose_name="programme",
                    ),
                ),
            ],
        ),
    ]
