"""SSO's staff console at /staff/: staff and roles, the branch's mobile registration,
objections (1420), the import history, and the append-only audit of every staff action."""
