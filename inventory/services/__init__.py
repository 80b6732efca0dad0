"""Services: plain functions taking a session; they flush, never commit, never import Flask."""
