"""Signing in: SMS codes, sessions and passkeys."""
