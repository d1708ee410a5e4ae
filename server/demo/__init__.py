"""Demo data, not the product: the synthetic registry (`registry`), a history of health records
(`records`) and what `make run` prints about them (`guide`). Used by `flask darman demo`, the
bench and the tests; no product module imports this package."""
