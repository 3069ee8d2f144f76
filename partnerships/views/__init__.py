"""HTML pages of the portal, one module per subject."""
