"""What every blueprint shares and no blueprint owns: the request toolkit (`toolkit`), the one
answer to a refusal (`refusals`, with the texts tables the packages register at app creation),
the request's unit of work (`unit_of_work`) and the shared field types of the JSON schemas
(`fields`). It imports no package above it (an import-linter contract says so)."""
