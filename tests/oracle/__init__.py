"""The engine checked against a reference evaluator written from docs/semantics.md alone.

evaluator.py: the evaluator (no facilitrack code). generate.py: random programs and journals.
harness.py: both answers in comparable form. test_oracle.py: the property tests.
test_evaluator.py: the evaluator pinned on tiny journals. test_disagreements.py: where engine and
definition once disagreed, kept as regressions. shrink.py: cuts a failing journal down.
"""
