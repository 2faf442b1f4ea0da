"""The programs bundled with facilitrack, each a plugin registered through entry points."""
