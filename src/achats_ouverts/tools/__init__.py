"""Tools outside the publication pipeline.

Modules (import the one you need; this package exports nothing):
- `demo`: the demonstration data generator (deterministic, clearly fictitious), a package:
  its catalogue is YAML data (`demo/catalogue/`), the generator is code;
- `benchmark`: a whole build measured at a given size (`scripts/bench.py`).
"""
