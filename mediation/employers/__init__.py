"""Employers (用人单位): each one's page — its particulars, its cases, what they claim, agree and recover,
and its repeat disputes — and the list of employers by number of cases, so that a supervisor sees the
repeat offenders."""
