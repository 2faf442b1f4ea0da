"""The model layer: what programs, requirements, events, people and groups are, as data.

Nothing here folds, judges or stores; every layer above builds on these definitions.
"""
