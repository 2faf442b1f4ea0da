"""The shapes of names: keys in definitions, ids of events and people, program versions.

One place for each pattern, so a definition, a cohort file and an event agree on what a key is.
"""

#: A key a definition declares: a stage, requirement, activity, artifact, role, credential.
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"

#: An event's or a person's id.
ID_PATTERN = r"^[A-Za-z0-9_.:@/-]{1,128}$"

#: A program version: numbers separated by dots.
VERSION_PATTERN = r"^\d+(\.\d+)*$"

#: What the patterns mean, for error messages.
PATTERN_HELP = {
    KEY_PATTERN: "a key in lower case: letters, digits and _, starting with a letter",
    ID_PATTERN: "an id of letters, digits and . _ : @ / - (at most 128)",
    VERSION_PATTERN: "a version of numbers separated by dots (1.0, 2.1.3)",
}
