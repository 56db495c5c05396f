"""Reports hold aggregates: counts per centre, category, sex, age band and group, never a person."""

from core.personal_data import not_personal

not_personal("reports.ReportRun", reason="aggregate tables and a build's error message, small cells hidden")
not_personal("reports.MonthlyReach", reason="a count of people reached in a month")
not_personal("reports.ReportFile", reason="a report document of aggregates, small cells hidden")
not_personal("reports.MonthlyFigures", reason="counts of registrations and attendance marks in a month")
