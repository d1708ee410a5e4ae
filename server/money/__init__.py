"""Money: tariffs (the price of each catalogue code by date), centres' contracts with SSO, and —
with the pure share rules of `server/domain/shares.py` — what the insured and SSO pay."""
