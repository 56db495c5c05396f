"""Money names donors and funds, never a person served."""

from core.personal_data import not_personal

not_personal("finance.FundingSource", reason="a fund and its donor organisation")
not_personal("finance.CostEntry", reason="a centre's cost in a month; its note is about the cost")
not_personal(
    "finance.CostImport",
    reason="an upload of costs: the file's name, counts and the problems found in its rows; "
    "the file itself is deleted when the import ends",
)
