"""Reports read from the journal for the people who plan the next night (no UI, no network)."""
