"""What the import keeps (core.personal_data): the cells of a file only until its import ends."""

from core.personal_data import not_personal

not_personal(
    "beneficiaries.PeopleImport",
    reason="an upload of people: the file's name, its header row, counts and the problems of the file; "
    "the file itself is deleted once the dry run has read it",
)
not_personal(
    "beneficiaries.ImportRow",
    reason="a row of an import as the dry run saw it: its cells and candidates are erased when the import "
    "ends; what stays is the row's number, class, decision and the record it made",
)
not_personal("beneficiaries.ImportMapping", reason="the columns chosen for a header row, by its hash")
not_personal(
    "beneficiaries.ImportedRow",
    reason="a hash of an imported row and the record it made, so that the same row never imports twice",
)
