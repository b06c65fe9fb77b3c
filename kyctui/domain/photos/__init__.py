"""Photo checks: safe reading, quality, provenance and duplicates, each giving CheckResults."""
