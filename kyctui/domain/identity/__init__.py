"""Identity checks: names, typed dates, the machine-readable zone, the profile and the statement.

Entry points: profile_checks.check_profile, mrz.read_mrz with mrz_checks.check_mrz,
statement.statement_text and statement.check_statement, names.compare_names, dates.parse_date.
"""
