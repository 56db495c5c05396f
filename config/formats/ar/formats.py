"""Arabic pages and reports group thousands (Django's Arabic formats leave 20246,56 ungrouped, hard to read in a
table of figures); the separators stay Django's."""

NUMBER_GROUPING = 3
