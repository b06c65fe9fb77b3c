"""The domain: photo checks, identity, attempts and storage. Never imports Textual."""
