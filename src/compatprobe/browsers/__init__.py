"""Ways of driving a browser: each gives the runner a Session with pages that run the harness."""
