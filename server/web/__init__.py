"""What every blueprint shares and no blueprint owns: the request toolkit (`toolkit`) and the
shared field types of the JSON schemas (`fields`)."""
