"""Benchmarks of the portal against the physical limits of the same machine (make bench)."""
