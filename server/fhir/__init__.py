"""FHIR R4 for clinic and hospital software: the CapabilityStatement and the eligibility check
(`CoverageEligibilityRequest/$submit` → CoverageEligibilityResponse), both in FHIR JSON.

Requests are validated with the `fhir.resources` R4B models: the package offers R5, R4B and
STU3, not 4.0.1 itself, and R4B (4.3.0) left these financial resources as R4 has them.
"""
