"""Demo tooling: the deterministic synthetic register used by the demo office, the tests and the benchmarks.

Not part of the domain: it makes up data. It uses the domain's rules, vocabularies, months and
the policy book's amounts, so the demo register behaves like a real one.
"""
