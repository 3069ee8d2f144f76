"""manage.py generate_synthetic: a large, skewed, reproducible data set for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from partnerships import synthetic


class Command(BaseCommand):
    help = (
        "Generate synthetic institutions, alliances, agreements and student flows, marked as "
        "generated, the same for the same seed. Meant for benchmarks on PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--institutions", type=int, default=10_000)
        parser.add_argument("--alliances", type=int, default=300)
        parser.add_argument("--agreements", type=int, default=100_000)
        parser.add_argument("--flows", type=int, default=1_000_000)
        parser.add_argument("--largest-alliance", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--replace", action="store_true", help="Delete earlier synthetic rows first."
        )
        existing.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when synthetic rows of the requested size are already there.",
        )

    def handle(self, *args, **options):
        scale = synthetic.Scale(
            institutions=options["institutions"],
            alliances=options["alliances"],
            agreements=options["agreements"],
            flows=options["flows"],
            largest_alliance=options["largest_alliance"],
        )
        if min(vars(scale).values()) < 1:
            raise CommandError("Every size must be at least 1.")
        if scale.alliances > scale.institutions:
            raise CommandError("--alliances cannot exceed --institutions.")
        found = synthetic.existing_counts()
        wanted = {
            "institutions": scale.institutions,
            "alliances": scale.alliances,
            "agreements": scale.agreements,
            "flows": scale.flows,
        }
        if options["if_missing"] and found == wanted:
            self.stdout.write("Synthetic data of this size is already there.")
            return
        if any(found.values()):
            if not (options["replace"] or options["if_missing"]):
                raise CommandError(
                    f"Synthetic rows already exist ({found}); use --replace to regenerate."
                )
            synthetic.delete_synthetic()
        started = time.perf_counter()
        counts = synthetic.generate(scale, seed=options["seed"], stdout=self.stdout)
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"Generated {total:,} rows in {elapsed:.1f} s ({counts}).")
        )
