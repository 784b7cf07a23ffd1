"""SUAS Desktop benchmarks: measured speed and memory, side by side with baselines (issue 11).

Not tests: nothing here asserts or fails CI. ``make bench`` runs ``benchmarks/run.py``; see README.md.
"""
