"""Registry: CSV import, the daily run, and coverage recompute."""
