"""The L5–S1 viewer: Qt application and command line."""
