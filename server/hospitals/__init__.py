"""Hospitals: admissions (the inpatient eligibility answer, with any other base insurer the
registry names on the day), their discharge, the staff's list of overlaps to resolve, and items a
hospital lacks, to be got outside and served with cover elsewhere."""
