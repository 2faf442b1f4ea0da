"""The plugin host: hook specifications, plugin loading, and the registry of programs."""
