"""Centres: their accounts, members and API tokens, registration, and the web at /centre/."""
