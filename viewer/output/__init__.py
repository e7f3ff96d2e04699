"""Qt-free output: offscreen screenshots, recordings, and safe file writing."""
