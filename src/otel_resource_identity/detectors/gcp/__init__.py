"""Google Cloud: Compute Engine (and GKE nodes), Cloud Run and Cloud Functions, and the one metadata client."""
