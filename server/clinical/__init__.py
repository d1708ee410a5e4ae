"""Clinical basics beside the record: coded diagnoses (WHO ICD-10), drug allergies and the check
of a prescription against them, and the printed prescription."""
