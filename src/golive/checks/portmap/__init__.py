"""The port map's checks: the snapshot before the cut and the per-jack proof after it."""
