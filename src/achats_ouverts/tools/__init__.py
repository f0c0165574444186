"""Tools outside the publication pipeline.

Modules (import the one you need; this package exports nothing):
- `demo`: the demonstration data generator (deterministic, clearly fictitious);
- `benchmark`: a whole build measured at a given size (`scripts/bench.py`).
"""
