from .cases import (
    REFERRAL_FIELDS,
    AccessLog,
    Case,
    CaseGoal,
    ConfidentialNote,
    FollowUp,
    Partner,
    Referral,
    RiskLevel,
    Transfer,
)
from .people import (
    MAX_AGE_YEARS,
    Beneficiary,
    BeneficiaryQuerySet,
    Consent,
    ConsentScope,
    DuplicateDecision,
    Household,
    Language,
    PopulationGroup,
    RegistrationAlias,
    RegistrationCounter,
    Relationship,
    Sex,
    Vulnerability,
)

__all__ = [
    "MAX_AGE_YEARS", "REFERRAL_FIELDS", "AccessLog", "Beneficiary", "BeneficiaryQuerySet", "Case", "CaseGoal", "ConfidentialNote",
    "Consent", "ConsentScope", "DuplicateDecision", "FollowUp", "Household", "Language", "Partner",
    "PopulationGroup", "Referral", "RegistrationAlias", "RegistrationCounter", "Relationship", "RiskLevel", "Sex",
    "Transfer", "Vulnerability",
]  # fmt: skip
