"""Predicted resource identity: Dash0's equality, naming and typing rules, client-side.

``conditions`` is the vocabulary, ``rulesets`` the tables written in it, ``engine``
evaluates them, ``encoding`` turns the result into ids.
"""
