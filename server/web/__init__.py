"""What every blueprint shares and no blueprint owns: the request toolkit (`toolkit`), the one
answer to a refusal (`refusals`, with the texts tables the packages register at app creation),
the request's unit of work (`unit_of_work`), the fields of the JSON schemas and of the web forms
(`fields`), the sign-in steps both webs ask (`forms`), and the one web shell of the web for
centres and the staff console (`shell`: the base layout, the field macro, their stylesheet and
the shared front-end modules). It imports no package above it (an import-linter contract says
so)."""
