"""The append-only, hash-chained audit log: who changed what, when, from where; verification of the chain."""
