"""Double-entry books: accounts, journal entries, postings, reports, lock date."""
