"""Statistics (/stats/ and every region page): totals and rates of groups of reports.

figures.py reads each report's figures (in the worker, beside its summary) and adds them up over a
group; tables.py lays the groups out as tables (per year, per level, per province, rankings) that
are rendered as pages and written as CSV from the same rows.
"""
