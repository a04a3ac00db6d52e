"""Excel reports: the planner workbook (:mod:`landopt.report.plan`) and shared openpyxl helpers (:mod:`landopt.report.excel`)."""
