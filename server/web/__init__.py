"""What every blueprint shares and no blueprint owns: the request toolkit (`toolkit`), the
fields of the JSON schemas and of the web forms (`fields`), the sign-in steps both webs ask
(`forms`), and the one web shell of the web for centres and the staff console (`shell`: the
base layout, the field macro, their stylesheet and the shared front-end modules)."""
