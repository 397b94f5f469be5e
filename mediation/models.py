"""Imports every model so SQLAlchemy's metadata (and Alembic) sees the whole schema."""
from mediation.attachments.models import Attachment  # noqa: F401
from mediation.audit.models import AdminEvent, CaseEvent  # noqa: F401
from mediation.auth.models import ApiToken, LoginSession, User  # noqa: F401
from mediation.calendar.models import CalendarDay  # noqa: F401
from mediation.cases.models import (Case, CaseDeadline, CaseNumberCounter, Employer,  # noqa: F401
                                    LimitationInterruption, Worker)
from mediation.cases.name_grams import NameGram  # noqa: F401  (and keeps the grams current at every flush)
from mediation.documents.models import DocumentPrint  # noqa: F401
from mediation.legal_aid.models import LegalAidReferral  # noqa: F401
from mediation.recovery.models import (Agreement, AgreementShare, AgreementVersion, Instalment,  # noqa: F401
                                       Payment)
from mediation.reference.models import Campaign, DisputeType, Street  # noqa: F401
from mediation.reminders.models import Digest  # noqa: F401
from mediation.sessions.models import MediationSession  # noqa: F401
from mediation.settings.models import MinimumWage, Setting  # noqa: F401
