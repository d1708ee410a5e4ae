"""Registry: CSV import, the synthetic registry generator, and coverage recompute."""
