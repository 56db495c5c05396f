"""Money names donors and funds, never a person served."""

from core.personal_data import not_personal

not_personal("finance.FundingSource", reason="a fund and its donor organisation")
not_personal("finance.CostEntry", reason="a centre's cost in a month; its note is about the cost")
