"""EXOP benchmarks: what each user-facing operation costs, and how the cost grows.

Run ``python -m benchmarks`` (``make bench``) from the repository root; ``--quick`` for a
short development run. See docs/benchmarks.md for the latest committed results.
"""
