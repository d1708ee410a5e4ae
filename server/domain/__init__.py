"""Pure domain code: national codes, digits, the Jalali calendar and the eligibility rules.

Nothing here imports Flask or the database, so every rule can be tested as a plain function.
"""
