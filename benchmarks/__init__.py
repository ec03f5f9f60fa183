"""Benchmarks of issue 5: ``python -m benchmarks`` runs them all and writes docs/performance.md."""
