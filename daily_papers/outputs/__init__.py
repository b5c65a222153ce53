"""What is written from the store: the README and its pages, the digest, the feeds, the site.

Outputs read the config and the store; they never ask a source."""
