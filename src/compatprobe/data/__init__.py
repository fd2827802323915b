"""The web platform's data packages (Web IDL, CSS, BCD, web-features): pinned, fetched, cached."""
